/**
 * The closed set of errors devenv raises. Everything below `src/cli` throws one of these (or lets an
 * unexpected error bubble, which the CLI boundary reports as a bug); only `src/cli` renders and exits.
 *
 * - `usage`: the command line is wrong (unknown command or flag, missing argument). Exit 2.
 * - `config`: devenv.yaml, an .env file or a preset is wrong. Exit 2.
 * - `external`: something outside devenv failed or is missing (engine, image, port, process). Exit 1.
 * - `bug`: an invariant of devenv itself broke. Exit 1.
 * - `interrupted`: the user pressed Ctrl-C (or sent SIGTERM) and devenv shut down cleanly. Exit 130.
 */
export type ErrorKind = 'usage' | 'config' | 'external' | 'bug' | 'interrupted';

export interface DevenvErrorOptions {
  /** What the user can do about it; rendered on its own line after the message. */
  hint?: string;
  cause?: unknown;
  /**
   * The last output lines of what failed (a container), when the message quotes them: a status that
   * shows the failure in one line shows these beside it.
   */
  lastLines?: readonly string[];
}

export abstract class DevenvError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable, documented identifier (e.g. `ENGINE_UNREACHABLE`); safe for scripts to match on. */
  readonly code: string;
  readonly hint: string | undefined;
  readonly lastLines: readonly string[] | undefined;

  constructor(code: string, message: string, options: DevenvErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.lastLines = options.lastLines;
  }
}

export class UsageError extends DevenvError {
  readonly kind = 'usage';
}

export class ExternalError extends DevenvError {
  readonly kind = 'external';
}

export class BugError extends DevenvError {
  readonly kind = 'bug';
}

export class InterruptedError extends DevenvError {
  readonly kind = 'interrupted';
  constructor(message = 'Interrupted.', options: DevenvErrorOptions = {}) {
    super('INTERRUPTED', message, options);
  }
}
