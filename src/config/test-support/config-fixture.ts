import { ConfigError, type ConfigProblem } from '../../errors/config-error.js';
import type { ResolvedEnvironment } from '../../model/resolved-environment.js';
import { loadPresets } from '../load-presets.js';
import type { LoadedConfig } from '../loaded-config.js';
import { type ResolveInput, resolveEnvironment } from '../resolve-environment.js';
import { noSecrets } from '../secret-resolver.js';
import { validateConfigText } from '../validate-config-text.js';

/** The real presets, read once per test file. */
export const presets = loadPresets();

/** Checks inline devenv.yaml text as if it lived in /work/app/devenv.yaml. */
export function validateText(text: string): { loaded?: LoadedConfig; problems: ConfigProblem[] } {
  const result = validateConfigText(text, { file: 'devenv.yaml', path: '/work/app/devenv.yaml', presets });
  return result.ok ? { loaded: result.loaded, problems: [] } : { problems: result.problems };
}

/** Problems as `line:col message`, the way a user reads them. */
export function problemLines(problems: readonly ConfigProblem[]): string[] {
  return problems.map((p) => `${p.line}:${p.col} ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
}

/** Validates and resolves; a ConfigError from either step comes back as its problem lines. */
export function resolveText(
  text: string,
  input: Partial<Omit<ResolveInput, 'config' | 'presets'>> = {},
): { environment?: ResolvedEnvironment; problems: string[] } {
  const { loaded, problems } = validateText(text);
  if (!loaded) return { problems: problemLines(problems) };
  try {
    const environment = resolveEnvironment({
      config: loaded,
      presets,
      environment: {},
      resolveSecret: noSecrets,
      ...input,
    });
    return { environment, problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: problemLines(error.problems) };
    throw error;
  }
}
