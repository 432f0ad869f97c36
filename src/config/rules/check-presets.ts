import type { ConfigProblem } from '../../errors/config-error.js';
import { closestMatch } from '../../util/closest-match.js';
import { didYouMean, problemAt, type Rule } from './rule-context.js';

/** `preset:` must name a known preset; `devenv presets` lists them. */
export const checkPresets: Rule = (context) => {
  const problems: ConfigProblem[] = [];
  const known = [...context.presets.keys()];
  for (const [name, dependency] of Object.entries(context.config.dependencies)) {
    if (dependency.preset === undefined || context.presets.has(dependency.preset)) continue;
    problems.push(
      problemAt(context, ['dependencies', name, 'preset'], `unknown preset \`${dependency.preset}\``, {
        hint:
          didYouMean(closestMatch(dependency.preset, known)) ??
          `available: ${known.join(', ')} (see \`devenv presets\`)`,
      }),
    );
  }
  return problems;
};
