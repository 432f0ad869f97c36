/** The streams and environment a command talks to; injected so commands are testable without a process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** True when stdout is an interactive terminal (drives TUI vs plain lines). */
  isTTY: boolean;
  /** Colour on stdout (the terminal UI): false when NO_COLOR is set (any value, per no-color.org) or stdout is not a terminal. */
  color: boolean;
  /** The same for stderr, where errors go: `devenv validate 2> errors.txt` on a terminal writes no colour codes. */
  errorColor: boolean;
}

export function processIO(): CliIO {
  // `devenv logs | head` closes the pipe early: that is the reader being done, not a failure.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  const isTTY = process.stdout.isTTY === true;
  const colorable =
    !(process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTTY,
    color: isTTY && colorable,
    errorColor: process.stderr.isTTY === true && colorable,
  };
}
