import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where one environment's supervisor keeps its socket, pid file, log and small state. */
export interface SupervisorPaths {
  /** Per-environment folder for the pid file, the supervisor's log and remembered host ports. */
  dir: string;
  socket: string;
  pidFile: string;
  logFile: string;
  /** Host ports chosen for this environment, so they stay the same across restarts. */
  portsFile: string;
  /** Process groups of the running local services, so a killed supervisor's successor can end them. */
  groupsFile: string;
}

/**
 * Pure: derived from the environment's identity and the process environment (injected).
 * `DEVENV_STATE_DIR` overrides the state root (tests, CI). The socket lives under XDG_RUNTIME_DIR (or
 * the temp dir) with a hashed name because unix socket paths are limited to ~107 bytes and project and
 * branch names are not.
 */
export function supervisorPaths(
  project: string,
  env: string,
  processEnv: NodeJS.ProcessEnv,
  uid: number = process.getuid?.() ?? 0,
): SupervisorPaths {
  const stateRoot =
    processEnv.DEVENV_STATE_DIR ??
    join(processEnv.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'devenv');
  const dir = join(stateRoot, project, env);
  const key = createHash('sha256').update(`${stateRoot}\0${project}\0${env}`).digest('hex').slice(0, 16);
  const runtimeRoot = processEnv.XDG_RUNTIME_DIR ?? tmpdir();
  return {
    dir,
    socket: join(runtimeRoot, `devenv-${uid}`, `${key}.sock`),
    pidFile: join(dir, 'supervisor.pid'),
    logFile: join(dir, 'supervisor.log'),
    portsFile: join(dir, 'ports.json'),
    groupsFile: join(dir, 'process-groups.json'),
  };
}
