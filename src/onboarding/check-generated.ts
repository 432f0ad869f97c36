import { readEnvFiles } from '../config/load-environment.js';
import { loadPresets } from '../config/load-presets.js';
import { resolveEnvironment } from '../config/resolve-environment.js';
import { noSecrets } from '../config/secret-resolver.js';
import { validateConfigText } from '../config/validate-config-text.js';
import { ConfigError, type ConfigProblem } from '../errors/config-error.js';

/**
 * Checks generated devenv.yaml text exactly as `devenv validate` would check the file (schema, rules,
 * .env layers, variables), before anything is written. Returns every problem; none means valid.
 */
export function checkGenerated(
  text: string,
  {
    path,
    shown,
    cwd,
    environment,
  }: { path: string; shown: string; cwd: string; environment: NodeJS.ProcessEnv },
): ConfigProblem[] {
  const presets = loadPresets(undefined, cwd);
  const validated = validateConfigText(text, { file: shown, path, presets });
  if (!validated.ok) return validated.problems;
  try {
    resolveEnvironment({
      config: validated.loaded,
      presets,
      envFiles: readEnvFiles(validated.loaded, cwd, false),
      environment,
      resolveSecret: noSecrets,
    });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}
