import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { InterruptedError, UsageError } from '../errors/devenv-error.js';
import { ExitCode, exitCodeFor } from '../errors/exit-code.js';
import { closestMatch } from '../util/closest-match.js';
import { type CliIO, processIO } from './cli-io.js';
import type { CliCommand, CommandContext, GlobalArgs } from './command.js';
import { commandWords, followAliasForLogs } from './command-words.js';
import { commands } from './commands.js';
import { renderError } from './render-error.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Runs the CLI and returns the exit code; the caller (bin/devenv.js) sets it on the process. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl-C while shutting down means "now": the clean-up already in flight is abandoned.
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    io.stderr('\nStopping… (press Ctrl-C again to force)\n');
    controller.abort(new InterruptedError());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const context: CommandContext = { io, signal: controller.signal };
  let exitCode: number = ExitCode.success;
  try {
    const parser = buildParser(followAliasForLogs(argv), context, (code) => {
      exitCode = code;
    });
    await parser.parseAsync();
    return exitCode;
  } catch (caught) {
    // yargs validates a subcommand's options (e.g. `preview logs --tail` without a value) after its
    // group's `fail` handler is out of reach, and throws its own YError: a usage error all the same.
    const error =
      caught instanceof Error && caught.name === 'YError' ? usageError(caught.message, [], argv) : caught;
    const verbose = argv.includes('--verbose');
    io.stderr(renderError(error, { color: io.errorColor, verbose }));
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function buildParser(
  argv: readonly string[],
  context: CommandContext,
  setExitCode: (code: number) => void,
): Argv {
  let parser = yargs([...argv])
    .scriptName('devenv')
    .usage(
      '$0 <command> [options]\n\n' +
        'One devenv.yaml per repository: dependencies in containers, services with hot reload, ' +
        'stable local URLs, and the same definition as a per-branch preview.',
    )
    .option('file', {
      alias: 'f',
      type: 'string',
      describe: 'Path to the environment file (default: devenv.yaml in the working directory)',
      global: true,
      requiresArg: true,
    })
    .option('cwd', {
      alias: 'C',
      type: 'string',
      describe: 'Run as if devenv was started in this directory',
      global: true,
      requiresArg: true,
      default: process.cwd(),
      defaultDescription: 'current directory',
      coerce: (value: string) => resolve(value),
    })
    .option('verbose', {
      type: 'boolean',
      describe: 'Show debug details and stack traces',
      global: true,
      default: false,
    })
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .strict()
    .help()
    .alias('help', 'h')
    .version(packageJson.version)
    .alias('version', 'V')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilogue('Exit codes: 0 success, 1 failure, 2 usage or configuration error, 130 interrupted.')
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw usageError(message ?? 'Invalid command line.', knownOptions(parser), argv);
    }) as unknown as Argv<GlobalArgs>;

  for (const command of commands) {
    parser = register(parser, command, context, setExitCode);
  }
  return parser;
}

function register<Args extends GlobalArgs>(
  parser: Argv<GlobalArgs>,
  command: CliCommand<Args>,
  context: CommandContext,
  setExitCode: (code: number) => void,
): Argv<GlobalArgs> {
  const { subcommands } = command;
  if (subcommands !== undefined) {
    return parser.command(command.command as string | string[], command.describe, (y) => {
      let group = command.builder(y) as unknown as Argv<GlobalArgs>;
      for (const sub of subcommands) group = register(group, sub, context, setExitCode);
      return group.demandCommand(1, `Name a ${command.command} command.`);
    });
  }
  return parser.command(
    command.command as string | string[],
    command.describe,
    (y) => command.builder(y),
    async (args) => {
      setExitCode((await command.run(args as unknown as Args, context)) ?? ExitCode.success);
    },
  );
}

/** yargs' messages are fine; we name the unknown command and add a did-you-mean for flags, which it lacks. */
function usageError(message: string, options: readonly string[], argv: readonly string[]): UsageError {
  const recommended = /^Did you mean (\S+)\?$/.exec(message)?.[1];
  const unknown = /^Unknown arguments?: ([^,\s]+)/.exec(message)?.[1];
  let hint: string | undefined;
  if (recommended !== undefined) {
    // The word typed where a command belongs, after its group's name (`preview nope` → `preview logs`).
    const { words } = commandWords(argv);
    const group = words.length > 1 ? `${words[0]} ` : '';
    message = `Unknown command: ${words.slice(0, 2).join(' ')}`.trimEnd();
    hint = `did you mean \`devenv ${group}${recommended}\`?`;
  } else if (unknown !== undefined && argv.includes(unknown)) {
    message = `Unknown command: ${unknown}`;
  } else if (unknown !== undefined) {
    const suggestion = closestMatch(unknown, options);
    if (suggestion !== undefined) hint = `did you mean \`--${suggestion}\`?`;
  }
  return new UsageError('USAGE', message, {
    hint: hint ?? 'Run `devenv --help` (or `devenv <command> --help`) to see what is accepted.',
  });
}

/** yargs has `getOptions()` at run time but its published types omit it. */
function knownOptions(parser: Argv<GlobalArgs>): string[] {
  const withOptions = parser as unknown as { getOptions(): { key: Record<string, unknown> } };
  return Object.keys(withOptions.getOptions().key);
}
