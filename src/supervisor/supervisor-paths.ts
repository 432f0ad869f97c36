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
  /** What the running supervisor was asked to run (`devenv up api`): see `selection-file.ts`. */
  selectionFile: string;
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
  const stateRoot = devenvStateRoot(processEnv);
  const dir = join(stateRoot, project, env);
  return {
    dir,
    socket: socketPath(processEnv, uid, `${stateRoot}\0${project}\0${env}`),
    pidFile: join(dir, 'supervisor.pid'),
    logFile: join(dir, 'supervisor.log'),
    portsFile: join(dir, 'ports.json'),
    groupsFile: join(dir, 'process-groups.json'),
    selectionFile: join(dir, 'selection.json'),
  };
}

/** devenv's state root: `DEVENV_STATE_DIR`, else `$XDG_STATE_HOME/devenv` (`~/.local/state/devenv`). */
export function devenvStateRoot(processEnv: NodeJS.ProcessEnv): string {
  return (
    processEnv.DEVENV_STATE_DIR ??
    join(processEnv.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'devenv')
  );
}

/** A short socket path under XDG_RUNTIME_DIR (or the temp dir), named by a hash of `identity`. */
export function socketPath(processEnv: NodeJS.ProcessEnv, uid: number, identity: string): string {
  const key = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return join(processEnv.XDG_RUNTIME_DIR ?? tmpdir(), `devenv-${uid}`, `${key}.sock`);
}
