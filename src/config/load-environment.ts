import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors/config-error.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { readSecret } from './adapters/read-secret.js';
import { type EnvFileText, envFileNames } from './env-file.js';
import { displayPath, loadConfig } from './load-config.js';
import { loadPresets } from './load-presets.js';
import type { LoadedConfig } from './loaded-config.js';
import { resolveEnvironment } from './resolve-environment.js';
import type { SecretResolver } from './secret-resolver.js';
import type { Selection } from './select-entities.js';

export interface LoadEnvironmentOptions {
  cwd: string;
  file?: string | undefined;
  environment: NodeJS.ProcessEnv;
  branch?: string | undefined;
  preview?: boolean;
  select?: Selection;
  hostPortOverrides?: HostPortOverrides;
  /** Defaults to the real resolver (reads files, runs commands). */
  resolveSecret?: SecretResolver;
}

/** The imperative shell around `resolveEnvironment`: reads devenv.yaml, presets and .env files. */
export function loadEnvironment(options: LoadEnvironmentOptions): {
  loaded: LoadedConfig;
  environment: ResolvedEnvironment;
} {
  const presets = loadPresets(undefined, options.cwd);
  const loaded = loadConfig({ cwd: options.cwd, file: options.file, presets });
  const environment = resolveEnvironment({
    config: loaded,
    presets,
    envFiles: readEnvFiles(loaded, options.cwd, options.preview === true),
    environment: options.environment,
    branch: options.branch,
    preview: options.preview === true,
    ...(options.select ? { select: options.select } : {}),
    ...(options.hostPortOverrides ? { hostPortOverrides: options.hostPortOverrides } : {}),
    resolveSecret: options.resolveSecret ?? readSecret(options.environment),
  });
  return { loaded, environment };
}

/** The conventional layers are optional; files listed in `env_files` must exist. */
function readEnvFiles(loaded: LoadedConfig, cwd: string, preview: boolean): EnvFileText[] {
  const missing: ConfigProblem[] = [];
  loaded.config.env_files.forEach((name, index) => {
    if (!existsSync(resolve(loaded.projectDir, name))) {
      missing.push({
        file: loaded.file,
        ...loaded.locate(['env_files', index]),
        message: `env file ${name} does not exist`,
      });
    }
  });
  if (missing.length > 0) throw new ConfigError(missing);
  const names = [...envFileNames(preview ? 'preview' : 'development'), ...loaded.config.env_files];
  return names
    .map((name) => resolve(loaded.projectDir, name))
    .filter((path) => existsSync(path))
    .map((path) => ({ file: displayPath(cwd, path), text: readFileSync(path, 'utf8') }));
}
