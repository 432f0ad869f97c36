import { ExternalError } from '../errors/devenv-error.js';
import { type ControlClient, connectControl } from '../supervisor/control-client.js';
import { connectIfServing, findOrStartBackground } from '../supervisor/start-background.js';
import { type EnvironmentKey, environmentKeyString, type RouteTarget } from './route-target.js';
import { type RouterPaths, routerPaths, routerPort } from './router-paths.js';
import {
  ROUTER_PROTOCOL_VERSION,
  type RouterHello,
  type RouterRequest,
  type RouterResults,
} from './router-protocol.js';

type RouterConnection = ControlClient<RouterRequest, RouterResults>;

/** A supervisor's handle on the machine's router. */
export interface RouterClient {
  /** The port the router listens on: every URL of this machine uses it. */
  readonly port: number;
  /**
   * Replaces the environment's routes (all of them, every time; unchanged routes are not even sent,
   * so calling it on every store event is cheap). Resolves once the router routes them.
   */
  publish(key: EnvironmentKey, routes: readonly RouteTarget[]): Promise<void>;
  /** Removes the environment's routes: its hosts get the unknown-host page. */
  withdraw(key: EnvironmentKey): Promise<void>;
  /** Disconnects; the router drops every route this client published. */
  close(): void;
}

export interface ConnectRouterOptions {
  /** Reconnect attempts and failures; the supervisor's log. */
  log?: (line: string) => void;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * Connects to the machine's router, starting it in the background if none runs. If the router goes
 * away later (killed, or replaced after an upgrade), the client starts or finds one again and
 * republishes what it published, with a growing pause between attempts, until `close`.
 */
export async function connectRouter(
  processEnv: NodeJS.ProcessEnv,
  options: ConnectRouterOptions = {},
): Promise<RouterClient> {
  const paths = routerPaths(processEnv);
  const log = options.log ?? (() => undefined);
  const published = new Map<string, { key: EnvironmentKey; routes: readonly RouteTarget[]; json: string }>();
  let connection = await findOrStartRouter(paths, processEnv);
  let closed = false;

  const reconnect = async (): Promise<void> => {
    for (let attempt = 0; !closed; attempt++) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt)),
      );
      if (closed) return;
      try {
        const next = await findOrStartRouter(paths, processEnv);
        if (closed) {
          next.client.close();
          return;
        }
        connection = next;
        watch();
        for (const { key, routes } of published.values()) await send(key, routes);
        log(`router: reconnected (pid ${next.hello.pid})`);
        return;
      } catch (error) {
        log(`router: reconnecting failed (${error instanceof Error ? error.message.split('\n')[0] : error})`);
      }
    }
  };
  const watch = (): void => {
    const current = connection;
    void current.client.closed.then(() => {
      if (closed || current !== connection) return;
      log('router: connection lost; reconnecting');
      void reconnect();
    });
  };
  const send = (key: EnvironmentKey, routes: readonly RouteTarget[]): Promise<void> =>
    connection.client
      .request('publish', { environment: { project: key.project, env: key.env, routes } })
      .then(() => undefined);
  watch();

  return {
    get port() {
      return connection.hello.port;
    },
    publish: async (key, routes) => {
      const id = environmentKeyString(key);
      const json = JSON.stringify(routes);
      // Supervisors may publish on every event; only a change is worth a message.
      if (published.get(id)?.json === json) return;
      published.set(id, { key, routes, json });
      await send(key, routes);
    },
    withdraw: async (key) => {
      published.delete(environmentKeyString(key));
      await connection.client.request('withdraw', { key: environmentKeyString(key) });
    },
    close: () => {
      closed = true;
      connection.client.close();
    },
  };
}

interface Found {
  client: RouterConnection;
  hello: RouterHello;
}

/** The running router's connection and hello, or undefined when none serves the socket. */
export async function findRouter(paths: RouterPaths): Promise<Found | undefined> {
  return connectIfServing(async () => {
    const client = await connectControl<RouterRequest, RouterResults>(
      paths.socket,
      () => new ExternalError('ROUTER_GONE', 'The devenv router stopped while answering.'),
    );
    const hello = await client.request('hello');
    if (hello.protocol !== ROUTER_PROTOCOL_VERSION) {
      client.close();
      throw new ExternalError(
        'ROUTER_MISMATCH',
        `The running devenv router (pid ${hello.pid}) speaks another protocol version.`,
        { hint: `Stop it with \`kill ${hello.pid}\`; the next \`devenv up\` starts the current one.` },
      );
    }
    return { client, hello };
  });
}

async function findOrStartRouter(paths: RouterPaths, processEnv: NodeJS.ProcessEnv): Promise<Found> {
  // Validated here, in the client, so a bad DEVENV_ROUTER_PORT is a usage error rather than a failed start.
  routerPort(processEnv);
  const { connection } = await findOrStartBackground({
    what: 'devenv router',
    codePrefix: 'ROUTER',
    launcherArgs: ['__router'],
    dir: paths.dir,
    pidFile: paths.pidFile,
    logFile: paths.logFile,
    // The user's NODE_OPTIONS are for their services: an `--inspect` or `--enable-source-maps` meant
    // for an app would otherwise slow every proxied request down.
    env: { ...processEnv, NODE_OPTIONS: undefined },
    find: () => findRouter(paths),
  });
  return connection;
}
