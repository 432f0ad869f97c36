import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { durationMs, MAX_PREVIEW_TTL } from '../../config/duration.js';
import { loadConfig } from '../../config/load-config.js';
import { loadEnvironment } from '../../config/load-environment.js';
import { loadPresets } from '../../config/load-presets.js';
import type { LoadedConfig } from '../../config/loaded-config.js';
import type { SecretResolver } from '../../config/secret-resolver.js';
import { UsageError } from '../../errors/devenv-error.js';
import type { ResolvedEnvironment } from '../../model/resolved-environment.js';
import { previewId } from '../../preview/preview-contract.js';
import { type PreviewModel, previewModel } from '../../preview/preview-model.js';
import { currentGitBranch } from '../../preview/read-git.js';
import { resolvePreviewDomain } from '../../preview/resolve-preview-domain.js';
import type { CliIO } from '../cli-io.js';
import type { GlobalArgs } from '../command.js';

export interface PreviewArgs extends GlobalArgs {
  branch: string | undefined;
}

/** `--branch`, shared by the preview commands (default: the checked-out git branch). */
export function withPreviewBranch<T extends GlobalArgs>(
  yargs: Argv<T>,
): Argv<T & { branch: string | undefined }> {
  return yargs.option('branch', {
    type: 'string',
    describe: 'The branch whose preview this is (default: the checked-out git branch)',
    requiresArg: true,
  }) as unknown as Argv<T & { branch: string | undefined }>;
}

/** `--domain`, for the commands that compute hosts. */
export function withDomain<T extends GlobalArgs>(yargs: Argv<T>): Argv<T & { domain: string | undefined }> {
  return yargs.option('domain', {
    type: 'string',
    describe:
      'Base domain of preview hosts (default: $DEVENV_PREVIEW_DOMAIN, preview.domain, preview.localhost:8080)',
    requiresArg: true,
  }) as unknown as Argv<T & { domain: string | undefined }>;
}

/** The branch named on the command line, else the checked-out one; a clear error without either. */
export async function previewBranch(args: PreviewArgs): Promise<string> {
  if (args.branch !== undefined && args.branch.trim() !== '') return args.branch;
  const branch = await currentGitBranch(args.cwd);
  if (branch === undefined) {
    throw new UsageError(
      'NO_BRANCH',
      `No git branch is checked out in ${args.cwd} to name the preview after.`,
      {
        hint: 'Pass `--branch NAME` (or run it in a git repository with a branch checked out).',
      },
    );
  }
  return branch;
}

/** The project's devenv.yaml, checked (no resolution: no secrets read, nothing run). */
export function loadPreviewConfig(args: GlobalArgs): LoadedConfig {
  const presets = loadPresets(undefined, args.cwd);
  return loadConfig({ cwd: args.cwd, file: args.file, presets });
}

/** The id of the branch's preview of this project. */
export async function previewTarget(
  args: PreviewArgs,
): Promise<{ loaded: LoadedConfig; branch: string; id: string }> {
  const loaded = loadPreviewConfig(args);
  const branch = await previewBranch(args);
  return { loaded, branch, id: previewId(loaded.project, branch) };
}

/**
 * A URL never needs a secret's value: `preview url` resolves without reading any (it runs no command
 * and reads no file), so it works anywhere devenv.yaml is.
 */
const secretsNotRead: SecretResolver = () => ({ ok: true, value: '' });

/** Resolves devenv.yaml for the branch's preview and decides everything that will run. */
export async function loadPreviewModel(
  args: PreviewArgs & { domain: string | undefined },
  io: CliIO,
  options: { readSecrets: boolean },
): Promise<{ environment: ResolvedEnvironment; model: PreviewModel }> {
  const branch = await previewBranch(args);
  const { environment } = loadEnvironment({
    cwd: args.cwd,
    file: args.file,
    environment: io.env,
    branch,
    preview: true,
    ...(options.readSecrets ? {} : { resolveSecret: secretsNotRead }),
  });
  const domain = resolvePreviewDomain(args.domain, io.env, environment.preview?.domain);
  const model = previewModel(environment, {
    branch,
    domain,
    folderFacts: (dir) => ({
      hasPackageJson: existsSync(join(dir, 'package.json')),
      hasNodeModules: existsSync(join(dir, 'node_modules')),
      dependenciesKey: dependenciesKey(dir),
    }),
  });
  return { environment, model };
}

/** `--ttl 2h` → ms, or the file's `preview.ttl` (default 72h). */
export function ttlMs(flag: string | undefined, fallbackMs: number): number {
  if (flag === undefined) return fallbackMs;
  if (!/^\d+(ms|s|m|h|d)$/.test(flag) || durationMs(flag) <= 0) {
    throw new UsageError('BAD_DURATION', `--ttl ${flag} is not a duration.`, {
      hint: 'Write a whole number and a unit: 30m, 12h, 7d.',
    });
  }
  if (durationMs(flag) > durationMs(MAX_PREVIEW_TTL)) {
    throw new UsageError('BAD_DURATION', `--ttl ${flag} is longer than a preview may live.`, {
      hint: `Give at most ${MAX_PREVIEW_TTL}; \`devenv preview extend\` adds more time later.`,
    });
  }
  return durationMs(flag);
}

/** A preview command's progress: one line on stderr, stamped `HH:MM:SS` (UTC). */
export function progressLine(io: CliIO): (line: string) => void {
  return (line) => io.stderr(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** `2026-11-26 15:04` in UTC, for tables. */
export function shortTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** What the dependency layer of a Node service depends on: its manifests and npm's record of node_modules. */
function dependenciesKey(dir: string): string | undefined {
  if (!existsSync(join(dir, 'node_modules'))) return undefined;
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json', 'node_modules/.package-lock.json']) {
    const path = join(dir, file);
    hash.update(`${file}\0${existsSync(path) ? readFileSync(path) : ''}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}
