import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type ControlConnection, startControlServer } from '../supervisor/control-server.js';
import { acquireSupervisorLock } from '../supervisor/supervisor-lock.js';
import { batchLines } from './batch-lines.js';
import { RouteRegistry } from './route-registry.js';
import { environmentKeyString } from './route-target.js';
import type { RouterPaths } from './router-paths.js';
import { ROUTER_PROTOCOL_VERSION, type RouterHello, type RouterRequest } from './router-protocol.js';
import { startRouterServer } from './start-router-server.js';

export interface RouterOptions {
  paths: RouterPaths;
  port: number;
  /** Stop after this long with no client connected and no route published. @default 60000 */
  idleMs?: number;
  /** See `RouterServerOptions.holdMs`. */
  holdMs?: number;
  /** Aborted by SIGTERM/SIGINT. */
  signal: AbortSignal;
  log: (line: string) => void;
  /** Gets the access log's lines several at a time, joined by `\n` (see `batchLines`). */
  accessLog: (lines: string) => void;
}

/**
 * The machine's router process: holds the lock, listens for HTTP on `port` and for supervisors on its
 * socket. An environment's routes live as long as the connection of the supervisor that published
 * them, so a killed supervisor leaves nothing routed. It stops on a signal, or once nobody has needed
 * it for `idleMs` (the next `devenv up` starts it again).
 */
export async function runRouter(options: RouterOptions): Promise<void> {
  const { paths, log } = options;
  const idleMs = options.idleMs ?? 60_000;
  const lock = await acquireSupervisorLock(paths.pidFile);
  const registry = new RouteRegistry();
  /** Which connection published which environment: only the owner's disconnect withdraws it. */
  const owners = new Map<string, ControlConnection>();
  const clients = new Set<ControlConnection>();
  const stopping = Promise.withResolvers<void>();
  let idleTimer: NodeJS.Timeout | undefined;
  let shuttingDown = false;
  const checkIdle = (): void => {
    clearTimeout(idleTimer);
    // Clients dropped by the shutdown itself must not arm a timer that keeps the process alive.
    if (shuttingDown || clients.size > 0 || registry.size > 0) return;
    idleTimer = setTimeout(() => {
      log(`idle for ${idleMs / 1000}s: stopping`);
      stopping.resolve();
    }, idleMs);
  };
  const onSignal = (): void => stopping.resolve();
  options.signal.addEventListener('abort', onSignal, { once: true });

  const accessLog = batchLines(options.accessLog);
  let server: Awaited<ReturnType<typeof startRouterServer>> | undefined;
  let control: Awaited<ReturnType<typeof startControlServer>> | undefined;
  try {
    // HTTP first: a busy port fails the start, and the client that spawned us shows why.
    server = await startRouterServer({
      registry,
      port: options.port,
      accessLog,
      ...(options.holdMs === undefined ? {} : { holdMs: options.holdMs }),
    });
    const hello: RouterHello = { protocol: ROUTER_PROTOCOL_VERSION, pid: process.pid, port: server.port };

    const handle = async (request: RouterRequest, connection: ControlConnection): Promise<unknown> => {
      if (!clients.has(connection)) {
        clients.add(connection);
        checkIdle();
        connection.onClose(() => {
          clients.delete(connection);
          for (const [key, owner] of owners) {
            if (owner !== connection) continue;
            owners.delete(key);
            if (registry.withdraw(key)) log(`${key}: withdrawn (its supervisor disconnected)`);
          }
          checkIdle();
        });
      }
      switch (request.method) {
        case 'hello':
          return hello;
        case 'publish': {
          const key = environmentKeyString(request.environment);
          owners.set(key, connection);
          if (registry.publish(request.environment)) {
            log(
              `${key}: ${request.environment.routes.map((r) => `${r.host}→${r.port} ${r.state}`).join(', ')}`,
            );
            for (const conflict of registry.table.conflicts) log(`conflict: ${conflict}`);
          }
          return null;
        }
        case 'withdraw':
          owners.delete(request.key);
          if (registry.withdraw(request.key)) log(`${request.key}: withdrawn`);
          checkIdle();
          return null;
        case 'routes':
          return registry.table.environments;
      }
    };

    await mkdir(dirname(paths.socket), { recursive: true, mode: 0o700 });
    control = await startControlServer<RouterRequest>(paths.socket, handle);
    log(`router ${process.pid} listening on http://localhost:${server.port}, serving ${paths.socket}`);
    checkIdle();
    await stopping.promise;
  } finally {
    shuttingDown = true;
    clearTimeout(idleTimer);
    log('router stopping');
    await control?.close();
    await server?.close();
    accessLog.flush();
    await lock.release();
    options.signal.removeEventListener('abort', onSignal);
  }
}
