import { readFileSync, statSync } from 'node:fs';
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
  /** What to run; a function decides from the checked file (e.g. "every dependency"). */
  select?: Selection | ((loaded: LoadedConfig) => Selection);
  hostPortOverrides?: HostPortOverrides;
  exactHostPorts?: HostPortOverrides;
  /** Defaults to the real resolver (reads files, runs commands). */
  resolveSecret?: SecretResolver;
  /** False: secrets are placeholders, never read (see `ResolveInput.readSecrets`). */
  readSecrets?: boolean;
}

/** The imperative shell around `resolveEnvironment`: reads devenv.yaml, presets and .env files. */
export function loadEnvironment(options: LoadEnvironmentOptions): {
  loaded: LoadedConfig;
  environment: ResolvedEnvironment;
} {
  const presets = loadPresets(undefined, options.cwd);
  const loaded = loadConfig({ cwd: options.cwd, file: options.file, presets });
  const select = typeof options.select === 'function' ? options.select(loaded) : options.select;
  const environment = resolveEnvironment({
    config: loaded,
    presets,
    envFiles: readEnvFiles(loaded, options.cwd, options.preview === true),
    environment: options.environment,
    branch: options.branch,
    preview: options.preview === true,
    ...(select ? { select } : {}),
    ...(options.hostPortOverrides ? { hostPortOverrides: options.hostPortOverrides } : {}),
    ...(options.exactHostPorts ? { exactHostPorts: options.exactHostPorts } : {}),
    resolveSecret: options.resolveSecret ?? readSecret(options.environment),
    ...(options.readSecrets === false ? { readSecrets: false } : {}),
  });
  return { loaded, environment };
}

/**
 * The conventional layers are optional, and skipped when they are folders (`.env/` is a common name for
 * a Python virtualenv); files listed in `env_files` must exist and be files. A file that cannot be read
 * is a problem naming it.
 */
export function readEnvFiles(loaded: LoadedConfig, cwd: string, preview: boolean): EnvFileText[] {
  const problems: ConfigProblem[] = [];
  loaded.config.env_files.forEach((name, index) => {
    const kind = fileKind(resolve(loaded.projectDir, name));
    if (kind !== 'file') {
      problems.push({
        file: loaded.file,
        ...loaded.locate(['env_files', index]),
        message:
          kind === 'missing' ? `env file ${name} does not exist` : `env file ${name} is a folder, not a file`,
      });
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  const names = [...envFileNames(preview ? 'preview' : 'development'), ...loaded.config.env_files];
  const texts: EnvFileText[] = [];
  for (const path of names.map((name) => resolve(loaded.projectDir, name))) {
    if (fileKind(path) !== 'file') continue;
    const file = displayPath(cwd, path);
    try {
      texts.push({ file, text: readFileSync(path, 'utf8') });
    } catch (error) {
      problems.push({ file, line: 1, col: 1, message: `cannot read it: ${(error as Error).message}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return texts;
}

function fileKind(path: string): 'file' | 'folder' | 'missing' {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 'missing';
  return stat.isDirectory() ? 'folder' : 'file';
}
