import type { Argv } from 'yargs';
import { loadEnvironment } from '../config/load-environment.js';
import type { Selection, SelectionRequest } from '../config/select-entities.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { readPortsFile } from '../supervisor/ports-file.js';
import { readSelectionFile } from '../supervisor/selection-file.js';
import { type SupervisorPaths, supervisorPaths } from '../supervisor/supervisor-paths.js';
import type { CliIO } from './cli-io.js';
import type { GlobalArgs } from './command.js';

export interface EnvironmentArgs extends GlobalArgs {
  branch: string | undefined;
}

/** `--branch`, shared by every command that addresses one environment. */
export function withBranch<T extends GlobalArgs>(yargs: Argv<T>): Argv<T & { branch: string | undefined }> {
  return yargs.option('branch', {
    type: 'string',
    describe: 'The environment of this branch (runs beside the default one, with its own ports and data)',
    requiresArg: true,
  }) as unknown as Argv<T & { branch: string | undefined }>;
}

export interface CliEnvironment {
  environment: ResolvedEnvironment;
  paths: SupervisorPaths;
  /**
   * Re-reads devenv.yaml with the given host port overrides and selection (the supervisor does so on
   * every `up`), and the variables of the shell that asked (`environment`; default: this process's).
   */
  load: (
    overrides: Parameters<typeof loadEnvironment>[0]['hostPortOverrides'],
    select?: Selection,
    environment?: NodeJS.ProcessEnv,
  ) => ResolvedEnvironment;
  /** What the running supervisor was asked to run, if one was (see `selection-file.ts`). */
  kept: SelectionRequest | undefined;
  /** Every dependency and service devenv.yaml has, selected or not. */
  declared: readonly string[];
}

export interface LoadCliOptions {
  /** What this command asks to run (`devenv up api`: names that must exist). */
  select?: SelectionRequest;
  /**
   * False for commands that need names, ports and URLs only (`status`, `urls`, `logs`…): secrets are
   * placeholders, so none is read (no `op read`, no prompt) and an unset one is no error. Default true.
   */
  readSecrets?: boolean;
}

/**
 * Loads and resolves devenv.yaml as the supervisor will, including host ports remembered for it and
 * what its `up`s selected so far, plus what this command asks for.
 */
export async function loadCliEnvironment(
  args: EnvironmentArgs,
  io: CliIO,
  { select: request = {}, readSecrets = true }: LoadCliOptions = {},
): Promise<CliEnvironment> {
  let declared: readonly string[] = [];
  const load: CliEnvironment['load'] = (hostPortOverrides, select, variables = io.env) => {
    const { loaded, environment } = loadEnvironment({
      cwd: args.cwd,
      file: args.file,
      environment: variables,
      branch: args.branch,
      ...(select ? { select } : {}),
      ...(hostPortOverrides ? { hostPortOverrides } : {}),
      readSecrets,
    });
    declared = [...Object.keys(loaded.config.dependencies), ...Object.keys(loaded.config.services)];
    return environment;
  };
  const first = load(undefined, request);
  const paths = supervisorPaths(first.project, first.env, io.env);
  const [overrides, kept] = await Promise.all([
    readPortsFile(paths.portsFile),
    readSelectionFile(paths.selectionFile),
  ]);
  const environment =
    Object.keys(overrides).length > 0 || kept !== undefined
      ? load(overrides, { ...request, keep: kept })
      : first;
  return { environment, paths, load, kept, declared };
}

/** The arguments that make a supervisor process resolve the same environment as this command. */
export function supervisorArgs(args: EnvironmentArgs): string[] {
  return [
    '--cwd',
    args.cwd,
    ...(args.file ? ['--file', args.file] : []),
    ...(args.branch ? ['--branch', args.branch] : []),
  ];
}
