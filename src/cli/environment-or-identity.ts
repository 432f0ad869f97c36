import { loadProjectName } from '../config/load-config.js';
import { ConfigError } from '../errors/config-error.js';
import { environmentName } from '../naming/environment-name.js';
import type { CliIO } from './cli-io.js';
import { type CliEnvironment, type EnvironmentArgs, loadCliEnvironment } from './environment-options.js';

/** Which environment a command is about; `loaded` only with a usable devenv.yaml. */
export interface EnvironmentOrIdentity {
  loaded: CliEnvironment | undefined;
  project: string;
  env: string;
}

/**
 * devenv.yaml's environment, or, when the file has problems (a bad edit while the environment runs),
 * only its identity: the project its `name:` or folder names, and the branch. Enough for `down` and
 * `status` to find what runs by its labels; `doing` ends the line that says so
 * (`stopping shop/default by what runs`).
 */
export async function environmentOrIdentity(
  args: EnvironmentArgs,
  io: CliIO,
  doing: (project: string, env: string) => string,
): Promise<EnvironmentOrIdentity> {
  try {
    const loaded = await loadCliEnvironment(args, io, { readSecrets: false });
    return { loaded, project: loaded.environment.project, env: loaded.environment.env };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const project = loadProjectName({ cwd: args.cwd, file: args.file });
    if (project === undefined) throw error;
    const env = environmentName(args.branch);
    io.stderr(`devenv: devenv.yaml has problems (\`devenv validate\` lists them); ${doing(project, env)}.\n`);
    return { loaded: undefined, project, env };
  }
}
