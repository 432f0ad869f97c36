// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { envFileNames, parseEnvFile } from '../config/env-file.js';
import type { ComposeEntity } from './compose-entity.js';
import { warning } from './onboarding-note.js';
import { envFileRefs } from './parse-compose-file.js';
import { type ComposeEnv, parseEnvironment } from './parse-environment.js';
import { presetEnv } from './preset-env.js';
import type { ServiceContext } from './service-context.js';

/** The .env layers devenv reads anyway: listing them in `env_files` would read them twice. */
const STANDARD_ENV_FILES = new Set(envFileNames('development'));

/** What the env files of every service add up to: devenv reads them as one set of variables. */
export interface EnvFilesSeen {
  /** For `env_files`, in the order the services name them. */
  files: string[];
  /** Each variable's last value, and the file it came from. */
  values: Map<string, { value: string; file: string }>;
}

/**
 * `environment:` and `env_file:` → the entity's env. devenv passes no env file to a container, so an env
 * file's variables are listed as `${NAME}`, read from `env_files`.
 */
export function convertEnvironment(
  context: ServiceContext,
  entity: ComposeEntity,
  service: Record<string, unknown>,
  {
    vars,
    envFiles,
    seen,
  }: { vars: ReadonlyMap<string, string>; envFiles: ReadonlyMap<string, string>; seen: EnvFilesSeen },
): void {
  const environment = parseEnvironment(service.environment);
  if (!environment.ok) context.warn('environment', `${environment.problem}; left out`);
  const env: ComposeEnv = environment.ok ? environment.value : new Map();
  for (const ref of envFileRefs(context.compose, service)) {
    const text = envFiles.get(ref.path);
    if (text === undefined) {
      if (ref.required)
        context.warn('env_file', `\`${ref.path}\` does not exist; create it, then add it to \`env_files\``);
      continue;
    }
    const parsed = parseEnvFile({ file: ref.path, text });
    for (const problem of parsed.problems)
      context.notes.push(
        warning(
          `${ref.path}:${problem.line}:${problem.col}`,
          `${problem.message} (devenv reads this file too)`,
        ),
      );
    if (!STANDARD_ENV_FILES.has(ref.path) && !seen.files.includes(ref.path)) seen.files.push(ref.path);
    for (const [key, value] of parsed.vars) {
      const before = seen.values.get(key);
      if (before && before.value !== value && before.file !== ref.path)
        context.warn(
          'env_file',
          `${key} differs between ${before.file} and ${ref.path}; devenv reads env files as one set of variables, so the later file wins for every service: give the value in \`env:\` instead`,
        );
      seen.values.set(key, { value, file: ref.path });
      // Compose: `environment` wins over `env_file`.
      if (!env.has(key)) entity.env.set(key, `\${${key}}`);
    }
  }
  if (entity.env.size > 0)
    context.note(
      'env_file',
      'devenv passes no env file to a container: its variables are listed in `env:` as `${NAME}`, read from `env_files`',
    );
  const knownVars = new Map([...vars, ...[...seen.values].map(([k, v]) => [k, v.value] as const)]);
  for (const [key, value] of env) {
    if (value === undefined) {
      // A bare `KEY`: Compose passes the shell's value through.
      if (!knownVars.has(key)) context.unset.add(key);
      entity.env.set(key, knownVars.has(key) ? `\${${key}}` : `\${${key}:-}`);
    } else {
      entity.env.set(key, context.template(value));
    }
  }
  if (entity.preset) entity.env = presetEnv(context, entity);
}
