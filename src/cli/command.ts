import type { Argv } from 'yargs';
import type { CliIO } from './cli-io.js';

/** Options every command accepts (PRODUCT.md: global `-f/--file`, `-C/--cwd`, `--verbose`). */
export interface GlobalArgs {
  /** Path to devenv.yaml, relative to `cwd`. */
  file: string | undefined;
  /** Absolute directory the command runs in (`-C`), defaulting to the process's working directory. */
  cwd: string;
  verbose: boolean;
}

export interface CommandContext {
  io: CliIO;
  /** Aborted on Ctrl-C / SIGTERM; long work must stop, clean up and throw `InterruptedError`. */
  signal: AbortSignal;
}

/**
 * One CLI command, one file. `run` returns an exit code (default 0) or throws a `DevenvError`;
 * it never exits the process and never renders errors itself.
 */
export interface CliCommand<Args> {
  command: string | readonly string[];
  describe: string;
  builder: (yargs: Argv<GlobalArgs>) => Argv<Args>;
  run: (args: Args, context: CommandContext) => Promise<number | undefined>;
  /**
   * Commands under this one (`devenv preview up`): registered by main.ts like top-level ones, so a
   * group is a list and adding a subcommand is one line. A group's own `run` is not called.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each subcommand has its own Args; the group only needs the common shape.
  subcommands?: readonly CliCommand<any>[];
}

/** Identity helper that lets TypeScript infer `Args` from the builder. */
export function defineCommand<Args extends GlobalArgs>(command: CliCommand<Args>): CliCommand<Args> {
  return command;
}
