import { presets, resolveText } from '../config/test-support/config-fixture.js';
import type { OnboardingResult } from './onboarding-result.js';
import { renderDevenvYaml } from './render-devenv-yaml.js';

export { presets };

/**
 * Renders a result and checks it with devenv's own loader (schema, rules and resolution), as
 * `devenv validate` would. Returns the text, the problems (none expected) and the notes as lines.
 */
export function generated(result: OnboardingResult, envFiles: { file: string; text: string }[] = []) {
  const text = renderDevenvYaml(result.draft);
  const { problems } = resolveText(text, { envFiles });
  const notes = result.notes.map((n) => `${n.level} ${n.where}: ${n.message}`);
  return { text, problems, notes };
}
