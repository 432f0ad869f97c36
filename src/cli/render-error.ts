import { ConfigError, formatProblemLocation } from '../errors/config-error.js';
import { DevenvError } from '../errors/devenv-error.js';

export interface RenderOptions {
  color: boolean;
  verbose: boolean;
}

const paint = (on: boolean, code: string, text: string): string =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;

/**
 * The one place where errors become text. Known errors get their message, location and hint;
 * anything else is a bug in devenv and says so, with the stack only under `--verbose`.
 */
export function renderError(error: unknown, { color, verbose }: RenderOptions): string {
  const red = (text: string) => paint(color, '31', text);
  const dim = (text: string) => paint(color, '2', text);
  const lines: string[] = [];

  if (error instanceof ConfigError) {
    for (const problem of error.problems) {
      lines.push(`${formatProblemLocation(problem)} ${red('error')} ${problem.message}`);
      if (problem.hint) lines.push(dim(`  hint: ${problem.hint}`));
    }
    lines.push(`${red('✖')} ${error.message}`);
  } else if (error instanceof DevenvError) {
    if (error.kind === 'interrupted') {
      lines.push(error.message);
    } else {
      lines.push(`${red('error')} ${error.message}`);
      if (error.kind === 'bug')
        lines.push(dim('  This is a bug in devenv; please report it with the output of --verbose.'));
    }
    if (error.hint) lines.push(dim(`  hint: ${error.hint}`));
    if (verbose && error.cause !== undefined) lines.push(dim(`  cause: ${describeCause(error.cause)}`));
  } else {
    lines.push(
      `${red('error')} unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    );
    lines.push(dim('  This is a bug in devenv; please report it with the output of --verbose.'));
  }

  if (verbose && error instanceof Error && error.stack) lines.push(dim(error.stack));
  return `${lines.join('\n')}\n`;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
