import { DevenvError, type DevenvErrorOptions } from './devenv-error.js';

/** One problem in a configuration file, located to the character so editors and terminals can jump there. */
export interface ConfigProblem {
  /** Path as the user should see it (relative to the working directory when possible). */
  file: string;
  /** 1-based line; 0 when the problem concerns the file as a whole. */
  line: number;
  /** 1-based column; 0 when the problem concerns the file as a whole. */
  col: number;
  message: string;
  /** A suggestion, e.g. "did you mean `depends_on`?". */
  hint?: string;
}

/** devenv.yaml (or an .env file, or a preset) is invalid. Carries every problem found, not just the first. */
export class ConfigError extends DevenvError {
  readonly kind = 'config';
  readonly problems: readonly ConfigProblem[];

  /**
   * `listProblems` puts every problem in the message too, for callers that only print `message` (a test
   * runner showing an error thrown by `devenv/testing`); the CLI renders `problems` itself.
   */
  constructor(
    problems: readonly ConfigProblem[],
    options: DevenvErrorOptions & { listProblems?: boolean } = {},
  ) {
    const count = problems.length;
    const summary = `${count} problem${count === 1 ? '' : 's'} in the configuration`;
    const listed = problems.map(
      (problem) =>
        `  ${formatProblemLocation(problem)} ${problem.message}${problem.hint ? ` (hint: ${problem.hint})` : ''}`,
    );
    super('CONFIG_INVALID', options.listProblems ? [`${summary}:`, ...listed].join('\n') : summary, options);
    this.problems = problems;
  }
}

/** `file:line:col` as terminals and editors understand it. */
export function formatProblemLocation(problem: ConfigProblem): string {
  return problem.line > 0 ? `${problem.file}:${problem.line}:${problem.col}` : problem.file;
}
