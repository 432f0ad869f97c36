import { UsageError } from '../errors/devenv-error.js';
import { closestMatch } from '../util/closest-match.js';

export interface NameContext {
  project: string;
  /** Every dependency and service in devenv.yaml. */
  declared: readonly string[];
  /** What this environment runs (`devenv up web` runs web and what it needs, not everything). */
  running: readonly string[];
  /** The command's kind of name, as a noun phrase: `a dependency or service`, `a container`. */
  kind: string;
}

/**
 * Why a command cannot use `name`: devenv.yaml has no such name (with a did-you-mean), or has it but
 * this environment does not run it (it was not selected), or it is not of the command's kind.
 */
export function unknownNameError(
  name: string,
  { project, declared, running, kind }: NameContext,
): UsageError {
  if (!declared.includes(name)) {
    const suggestion = closestMatch(name, declared);
    return new UsageError('UNKNOWN_NAME', `${name} is not in ${project}'s devenv.yaml.`, {
      hint: suggestion ? `did you mean \`${suggestion}\`?` : `Known: ${declared.join(', ') || 'none'}.`,
    });
  }
  if (!running.includes(name)) {
    return new UsageError('NOT_SELECTED', `${name} is in devenv.yaml, but ${project} does not run it now.`, {
      hint: `\`devenv up ${name}\` starts it with what it needs (it runs ${running.join(', ') || 'nothing'}).`,
    });
  }
  return new UsageError('UNKNOWN_NAME', `${name} is not ${kind} of ${project}.`);
}
