import { join } from 'node:path';
import { UsageError } from '../errors/devenv-error.js';
import { devenvStateRoot, socketPath } from '../supervisor/supervisor-paths.js';

/** The router's port when `DEVENV_ROUTER_PORT` is not set: unprivileged and rarely taken by dev servers. */
export const DEFAULT_ROUTER_PORT = 7777;

/** Where the machine's router keeps its socket, lock, logs. One router per state root. */
export interface RouterPaths {
  dir: string;
  socket: string;
  pidFile: string;
  /** Its own messages (start, stop, route changes). */
  logFile: string;
  /** One line per proxied request, with its `X-Request-Id`. */
  accessLogFile: string;
}

/**
 * Pure. `<state root>/_router`: an underscore, so no project (a DNS label) can own the same folder.
 */
export function routerPaths(
  processEnv: NodeJS.ProcessEnv,
  uid: number = process.getuid?.() ?? 0,
): RouterPaths {
  const stateRoot = devenvStateRoot(processEnv);
  const dir = join(stateRoot, '_router');
  return {
    dir,
    socket: socketPath(processEnv, uid, `${stateRoot}\0router`),
    pidFile: join(dir, 'router.pid'),
    logFile: join(dir, 'router.log'),
    accessLogFile: join(dir, 'access.log'),
  };
}

/** `DEVENV_ROUTER_PORT`, or the default; a value that is not a port is a usage error. */
export function routerPort(processEnv: NodeJS.ProcessEnv): number {
  const text = processEnv.DEVENV_ROUTER_PORT;
  if (text === undefined || text === '') return DEFAULT_ROUTER_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError('ROUTER_PORT', `DEVENV_ROUTER_PORT=${text} is not a TCP port.`, {
      hint: 'Set it to a number from 1024 to 65535, or unset it for the default 7777.',
    });
  }
  return port;
}
