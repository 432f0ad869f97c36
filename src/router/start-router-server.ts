import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ExternalError } from '../errors/devenv-error.js';
import { accessLine } from './access-line.js';
import type { AccessLine } from './batch-lines.js';
import { ConnectionRelay } from './relay-connection.js';
import type { RouteRegistry } from './route-registry.js';
import { type HostResolution, hostName, type Route, resolveHost } from './route-table.js';
import {
  pageHeaders,
  type RouterPage,
  type ServiceProblem,
  servicePage,
  unknownHostPage,
  wantsJson,
} from './router-page.js';
import { createUpstreamProxy, hasNoBody } from './upstream-proxy.js';

export interface RouterServerOptions {
  registry: RouteRegistry;
  port: number;
  /** Loopback only: the router is for this machine's browser. @default ['127.0.0.1', '::1'] */
  addresses?: readonly string[];
  /** How long a request for a service that is coming up is held before it gets the page. @default 30000 */
  holdMs?: number;
  /** How long an upstream may take to send its response headers (not its body). @default 120000 */
  responseTimeoutMs?: number;
  /** One line per request: time, request id, host, method, path, status, duration. */
  accessLog: (line: AccessLine) => void;
  /**
   * Optional gate run before each request (and upgrade) is routed, with the host's route if any: the
   * preview gateway's access control and its own endpoints. Synchronous, so the proxy path stays lean.
   */
  authorize?: (req: IncomingMessage, route: Route | undefined) => RequestVerdict;
  /**
   * Replaces the unknown-host page (which lists every environment: fine on this machine, not on a
   * preview host facing the internet). Also used when a host disappears while a request waits.
   */
  unknownHostPage?: (req: IncomingMessage, json: boolean) => RouterPage;
  /** Headers set on every HTTP response, proxied or not (the gateway's `X-Robots-Tag: noindex`). */
  responseHeaders?: Readonly<Record<string, string>>;
  /**
   * Relay plain requests to ready services in the fast lane (relay-connection.ts) rather than through
   * Node's HTTP server. Not with `authorize` or `responseHeaders`, which need every request parsed.
   * @default true without them
   */
  fastLane?: boolean;
}

/** What `authorize` decided: route the request as usual, or answer it with a page (and headers). */
export type RequestVerdict =
  | { kind: 'allow' }
  | { kind: 'respond'; page: RouterPage; headers?: Readonly<Record<string, string | readonly string[]>> };

export interface RouterServer {
  /** The port it listens on (the given one, or the one chosen for port 0). */
  port: number;
  close(): Promise<void>;
}

/** Between retries of a request refused by a service the table calls ready (it is about to restart). */
const REFUSED_RETRY_MS = 100;

/**
 * The machine's HTTP listener: routes each request by `Host` to the service's port, holds requests
 * for a service that is (re)starting, answers for services that are down or unknown, and proxies
 * WebSocket upgrades. The proxying itself is `createUpstreamProxy`'s.
 */
export async function startRouterServer(options: RouterServerOptions): Promise<RouterServer> {
  const { registry, accessLog } = options;
  const holdMs = options.holdMs ?? 30_000;
  const responseTimeoutMs = options.responseTimeoutMs ?? 120_000;
  const proxy = createUpstreamProxy({ responseTimeoutMs });
  let port = options.port;

  const send = (
    res: ServerResponse,
    id: string,
    page: RouterPage,
    headers: Readonly<Record<string, string | readonly string[]>> = {},
  ): void => {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    // The caller's headers first: the page's own win (writeHead merges them over setHeader's).
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.writeHead(page.status, pageHeaders(page, id));
    res.end(page.body);
  };

  /** Holds a request while its service is coming up: until it settles, the deadline, or the client leaves. */
  const settle = async (host: string, deadline: number, signal: AbortSignal): Promise<HostResolution> => {
    for (;;) {
      const resolution = resolveHost(registry.table, host);
      const left = deadline - Date.now();
      if (resolution.kind !== 'wait' || left <= 0 || signal.aborted) return resolution;
      await registry.changed(left, signal);
    }
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    resolution: HostResolution,
    since: number,
  ): void => {
    if (resolution.kind === 'proxy') {
      const { route } = resolution;
      proxy.web(req, res, route.target.port, id, (error) => {
        const code = upstreamCode(error);
        // Refused before a byte was sent: the service is (re)starting; a request without a body can
        // safely wait for it like any held request.
        if (code === 'ECONNREFUSED' && !res.headersSent && hasNoBody(req) && Date.now() < since + holdMs) {
          const left = since + holdMs - Date.now();
          void registry.changed(Math.min(REFUSED_RETRY_MS, left)).then(() => dispatch(req, res, id, since));
          return;
        }
        const problem: ServiceProblem = { kind: 'upstream', code, message: error.message };
        send(res, id, servicePage(route, problem, wantsJson(req.headers.accept)));
      });
      return;
    }
    const json = wantsJson(req.headers.accept);
    send(
      res,
      id,
      resolution.kind === 'unknown'
        ? (options.unknownHostPage?.(req, json) ??
            unknownHostPage(resolution.host, registry.table, port, json))
        : servicePage(
            resolution.route,
            resolution.kind === 'down'
              ? { kind: 'down' }
              : { kind: 'still-starting', waitedMs: Date.now() - since },
            json,
          ),
    );
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, id: string, since: number): void => {
    if (res.destroyed) return;
    const host = hostName(req.headers.host);
    const resolution = resolveHost(registry.table, host);
    if (resolution.kind !== 'wait') {
      forward(req, res, id, resolution, since);
      return;
    }
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    void settle(host, since + holdMs, gone.signal).then((settled) => {
      if (!gone.signal.aborted) forward(req, res, id, settled, since);
    });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const since = Date.now();
    const started = performance.now();
    const id = requestId(req);
    res.once('close', () => {
      accessLog(
        accessLine({
          since,
          id,
          host: req.headers.host,
          method: req.method ?? '',
          target: req.url,
          status: `${res.statusCode}${res.writableFinished ? '' : ' aborted'}`,
          ms: performance.now() - started,
        }),
      );
    });
    if (options.responseHeaders !== undefined)
      for (const [name, value] of Object.entries(options.responseHeaders)) res.setHeader(name, value);
    if (options.authorize !== undefined) {
      const verdict = options.authorize(req, registry.table.byHost.get(hostName(req.headers.host)));
      if (verdict.kind === 'respond') {
        send(res, id, verdict.page, verdict.headers);
        return;
      }
    }
    dispatch(req, res, id, since);
  };

  /** Upgraded connections are no longer the HTTP server's: closing it would wait for them forever. */
  const upgraded = new Set<Duplex>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const since = Date.now();
    const id = requestId(req);
    const upgradeLine = (status: number): string =>
      accessLine({ since, id, host: req.headers.host, method: 'UPGRADE', target: req.url, status });
    // http-proxy-3 forwards the request's own headers: the id goes there.
    req.headers['x-request-id'] = id;
    socket.on('error', () => socket.destroy());
    const host = hostName(req.headers.host);
    if (options.authorize !== undefined) {
      const verdict = options.authorize(req, registry.table.byHost.get(host));
      if (verdict.kind === 'respond') {
        accessLog(upgradeLine(verdict.page.status));
        socket.end(
          `HTTP/1.1 ${verdict.page.status} Denied\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        return;
      }
    }
    const gone = new AbortController();
    socket.once('close', () => gone.abort());
    void settle(host, since + holdMs, gone.signal).then((resolution) => {
      if (gone.signal.aborted) return;
      if (resolution.kind !== 'proxy') {
        accessLog(upgradeLine(503));
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      accessLog(upgradeLine(101));
      proxy.upgrade(req, socket, head, resolution.route.target.port, () => socket.destroy());
    });
  };

  const httpServer = () => {
    // Uploads may be large and slow, and streams long-lived: no whole-request deadline.
    const server = createServer(
      { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 65_000 },
      onRequest,
    );
    server.on('upgrade', onUpgrade);
    return server;
  };
  /**
   * Where the fast lane hands connections over: it never listens itself. Node's server starts its
   * checks of `headersTimeout` (a client that sends half a head, slowly) on `listening`: emitted here
   * so that connections it is handed get them too.
   */
  const http = httpServer();
  http.emit('listening');
  const fastLane = (options.fastLane ?? true) && options.authorize === undefined && !options.responseHeaders;
  const handOver = (socket: Socket, unread: Buffer): void => {
    if (unread.length > 0) socket.unshift(unread);
    http.emit('connection', socket);
    socket.resume();
  };
  // The fast lane's listener is a plain TCP server (as Node's HTTP server is, underneath); it gives a
  // connection to the HTTP server as soon as a request needs it.
  /** Every client connection, in either lane (so that closing ends them all), and its relay. */
  const relays = new Map<Socket, ConnectionRelay>();
  const onConnection = (socket: Socket): void => {
    relays.set(socket, new ConnectionRelay(socket, { registry, responseTimeoutMs, accessLog, handOver }));
    socket.once('close', () => relays.delete(socket));
  };
  // The fast lane's deadlines, checked for all connections at once (a handed-over connection's sweep
  // does nothing). Often enough for a short response timeout in tests, at most once a second.
  const sweeper = fastLane
    ? setInterval(
        () => {
          const now = Date.now();
          for (const relay of relays.values()) relay.sweep(now);
        },
        Math.min(1_000, Math.max(50, responseTimeoutMs / 4)),
      ).unref()
    : undefined;

  const servers: Server[] = [];
  for (const address of options.addresses ?? ['127.0.0.1', '::1']) {
    const server = fastLane
      ? createTcpServer({ allowHalfOpen: true, noDelay: true }, onConnection)
      : httpServer();
    try {
      port = await listen(server, address, port);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A machine without IPv6 loopback: 127.0.0.1 alone serves every browser.
      if (address !== '127.0.0.1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      clearInterval(sweeper);
      http.close(() => undefined);
      await Promise.all(servers.map((open) => closeServer(open)));
      await proxy.close();
      if (code === 'EADDRINUSE') {
        throw new ExternalError(
          'ROUTER_PORT_BUSY',
          `Port ${port} (${address}) is in use by another program.`,
          {
            hint: 'Free it, or choose another port for the devenv router with DEVENV_ROUTER_PORT.',
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  return {
    port,
    close: async () => {
      clearInterval(sweeper);
      // It never listened: this only stops its timeout checks (and reports that it was not running).
      http.close(() => undefined);
      for (const socket of upgraded) socket.destroy();
      for (const socket of relays.keys()) socket.destroy();
      await Promise.all(servers.map((server) => closeServer(server)));
      await proxy.close();
    },
  };
}

/** The request's `X-Request-Id`, or a new one when the client sent none (forwarded and returned). */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given !== '' ? given : randomUUID();
}

/** undici's name for "no response headers in time" is the router's `UPSTREAM_TIMEOUT` (a 504 page). */
function upstreamCode(error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'ERROR';
  return code === 'UND_ERR_HEADERS_TIMEOUT' ? 'UPSTREAM_TIMEOUT' : code;
}

function listen(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, ipv6Only: address.includes(':') }, () => {
      server.off('error', reject);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound !== null ? bound.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function')
      server.closeAllConnections();
  });
}
