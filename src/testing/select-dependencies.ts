import type { LoadedConfig } from '../config/loaded-config.js';
import { UsageError } from '../errors/devenv-error.js';
import { closestMatch } from '../util/closest-match.js';

/**
 * The dependencies a test suite asked for, or every dependency devenv.yaml defines. Services are the
 * repository's own code, which the test suite runs itself, so naming one is a usage error.
 */
export function selectDependencies(
  config: Pick<LoadedConfig['config'], 'dependencies' | 'services'>,
  requested: readonly string[] | undefined,
): string[] {
  const dependencies = Object.keys(config.dependencies);
  const names = requested === undefined ? dependencies : [...new Set(requested)];
  for (const name of names) {
    if (dependencies.includes(name)) continue;
    if (config.services[name] !== undefined)
      throw new UsageError(
        'NOT_A_DEPENDENCY',
        `\`${name}\` is a service in devenv.yaml; startEnvironment starts dependencies only.`,
        { hint: "Run the service's code from the test itself, with the outputs startEnvironment returns." },
      );
    const suggestion = closestMatch(name, dependencies);
    throw new UsageError('UNKNOWN_NAME', `devenv.yaml has no dependency \`${name}\`.`, {
      hint:
        suggestion === undefined
          ? `known: ${dependencies.join(', ') || 'none'}`
          : `did you mean \`${suggestion}\`?`,
    });
  }
  if (names.length === 0)
    throw new UsageError(
      'NOTHING_TO_START',
      requested === undefined
        ? 'devenv.yaml defines no dependencies to start.'
        : 'startEnvironment was given an empty list of dependencies.',
      { hint: 'Add a dependency under `dependencies:` in devenv.yaml, or leave `dependencies` unset.' },
    );
  return names;
}
