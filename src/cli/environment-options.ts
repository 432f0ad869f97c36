import type { Argv } from 'yargs';
import { loadEnvironment } from '../config/load-environment.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { readPortsFile } from '../supervisor/ports-file.js';
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
  /** Re-reads devenv.yaml with the given host port overrides (the supervisor does so on every `up`). */
  load: (overrides: Parameters<typeof loadEnvironment>[0]['hostPortOverrides']) => ResolvedEnvironment;
}

/** Loads and resolves devenv.yaml as the supervisor will, including host ports remembered for it. */
export async function loadCliEnvironment(args: EnvironmentArgs, io: CliIO): Promise<CliEnvironment> {
  const load: CliEnvironment['load'] = (hostPortOverrides) =>
    loadEnvironment({
      cwd: args.cwd,
      file: args.file,
      environment: io.env,
      branch: args.branch,
      ...(hostPortOverrides ? { hostPortOverrides } : {}),
    }).environment;
  const first = load(undefined);
  const paths = supervisorPaths(first.project, first.env, io.env);
  const overrides = await readPortsFile(paths.portsFile);
  const environment = Object.keys(overrides).length > 0 ? load(overrides) : first;
  return { environment, paths, load };
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
