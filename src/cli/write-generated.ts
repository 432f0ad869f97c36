import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, displayPath } from '../config/load-config.js';
import { ConfigError } from '../errors/config-error.js';
import { UsageError } from '../errors/devenv-error.js';
import { checkGenerated } from '../onboarding/check-generated.js';
import { formatNotes } from '../onboarding/onboarding-note.js';
import type { OnboardingResult } from '../onboarding/onboarding-result.js';
import { renderDevenvYaml } from '../onboarding/render-devenv-yaml.js';
import type { CliIO } from './cli-io.js';
import type { GlobalArgs } from './command.js';

/** Options `init` and `import compose` share. */
export interface GenerateArgs extends GlobalArgs {
  force: boolean;
  stdout: boolean;
}

/** Where the file goes; refuses an existing one unless `--force` (or `--stdout`, which writes nothing). */
export function targetOf(args: GenerateArgs, command: string): { path: string; shown: string } {
  const path = resolve(args.cwd, args.file ?? DEFAULT_CONFIG_FILE);
  const shown = displayPath(args.cwd, path);
  if (!args.stdout && !args.force && existsSync(path)) {
    throw new UsageError('CONFIG_EXISTS', `${shown} already exists; ${command} does not overwrite it`, {
      hint: `\`devenv ${command} --stdout\` prints what it would write; \`--force\` replaces the file`,
    });
  }
  return { path, shown };
}

/**
 * Renders, checks with devenv's own loader, then prints or writes the generated file, with its notes on
 * stderr and a summary. A generated file the loader rejects is still written (it is a better start than
 * nothing) and its problems are raised as a ConfigError, so the exit code says it needs work.
 */
export function writeGenerated(
  result: OnboardingResult,
  args: GenerateArgs,
  target: { path: string; shown: string },
  io: CliIO,
): number {
  const text = renderDevenvYaml(result.draft);
  const problems = checkGenerated(text, { ...target, cwd: args.cwd, environment: io.env });
  io.stderr(formatNotes(result.notes));
  const warnings = result.notes.filter((note) => note.level === 'warning').length;
  const counts = `${count(Object.keys(result.draft.dependencies).length, 'dependency', 'dependencies')}, ${count(Object.keys(result.draft.services).length, 'service', 'services')}`;
  const lines = [
    `${args.stdout ? `${target.shown} (not written)` : `✔ wrote ${target.shown}`}: project ${result.draft.name}, ${counts}`,
    ...result.summary.map((line) => `  ${line}`),
    ...(warnings > 0
      ? [`${count(warnings, 'warning', 'warnings')} above: settings that did not carry over, and what to do.`]
      : []),
    args.stdout
      ? `Next: save it as ${target.shown} (or run without --stdout), then \`devenv validate\` and \`devenv up\``
      : 'Next: `devenv validate`, then `devenv up`',
  ];
  if (args.stdout) {
    io.stdout(text);
    io.stderr(`${lines.join('\n')}\n`);
  } else {
    try {
      writeFileSync(target.path, text);
    } catch (cause) {
      // A missing folder (`-f nope/devenv.yaml`) or no permission: the user's to fix, not a devenv bug.
      throw new UsageError('CONFIG_UNWRITABLE', `cannot write ${target.shown}: ${(cause as Error).message}`, {
        hint: 'Choose a file in an existing folder you may write to, or use --stdout.',
        cause,
      });
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  if (problems.length > 0) {
    io.stderr(`The generated file does not pass \`devenv validate\` yet; fix these lines:\n`);
    throw new ConfigError(problems);
  }
  return 0;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** yargs options for both commands. */
export const generateOptions = {
  force: { type: 'boolean', default: false, describe: 'Overwrite an existing devenv.yaml' },
  stdout: {
    type: 'boolean',
    default: false,
    alias: 'dry-run',
    describe: 'Print the file instead of writing it (notes and summary go to stderr)',
  },
} as const;
