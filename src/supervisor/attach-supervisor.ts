import { ExternalError } from '../errors/devenv-error.js';
import { type ControlClient, connectControl } from './control-client.js';
import { type HelloResult, PROTOCOL_VERSION } from './control-protocol.js';
import { connectIfServing, findOrStartBackground } from './start-background.js';
import type { SupervisorPaths } from './supervisor-paths.js';

export interface Attached {
  client: ControlClient;
  hello: HelloResult;
  /** True when this call started the supervisor, false when one was already running. */
  started: boolean;
}

/** Connects to the environment's supervisor if one serves its socket; undefined when none does. */
export async function findSupervisor(paths: SupervisorPaths): Promise<Attached | undefined> {
  return connectIfServing(async () => {
    const client = await connectControl(paths.socket);
    const hello = await client.request('hello');
    if (hello.protocol !== PROTOCOL_VERSION) {
      client.close();
      throw new ExternalError(
        'SUPERVISOR_MISMATCH',
        `The running supervisor (pid ${hello.pid}) is from devenv ${hello.version}, which speaks another protocol.`,
        { hint: `Stop it with \`kill ${hello.pid}\`, then run the command again.` },
      );
    }
    return { client, hello, started: false };
  });
}

/**
 * `devenv up`'s first step: attach to the running supervisor, or start one in the background and
 * attach once its socket answers. A supervisor that dies while starting is reported with the last
 * lines of its log.
 */
export async function attachOrStartSupervisor(
  paths: SupervisorPaths,
  supervisorArgs: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Attached> {
  const { connection, started } = await findOrStartBackground({
    what: 'environment supervisor',
    codePrefix: 'SUPERVISOR',
    launcherArgs: ['__supervise', ...supervisorArgs],
    dir: paths.dir,
    pidFile: paths.pidFile,
    logFile: paths.logFile,
    env,
    find: () => findSupervisor(paths),
  });
  return { ...connection, started };
}
