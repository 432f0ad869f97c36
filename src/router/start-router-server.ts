import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ProxyServer } from 'http-proxy-3';
import { ExternalError } from '../errors/devenv-error.js';
import type { RouteRegistry } from './route-registry.js';
import { type HostResolution, hostName, type Route, resolveHost } from './route-table.js';
import {
  type RouterPage,
  type ServiceProblem,
  servicePage,
  unknownHostPage,
  wantsJson,
} from './router-page.js';

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
  accessLog: (line: string) => void;
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

const UPSTREAM_HOST = '127.0.0.1';
/** Between retries of a request refused by a service the table calls ready (it is about to restart). */
const REFUSED_RETRY_MS = 100;

/**
 * The machine's HTTP listener: routes each request by `Host` to the service's port, holds requests
 * for a service that is (re)starting, answers for services that are down or unknown, and proxies
 * WebSocket upgrades. The only importer of http-proxy-3.
 */
export async function startRouterServer(options: RouterServerOptions): Promise<RouterServer> {
  const { registry, accessLog } = options;
  const holdMs = options.holdMs ?? 30_000;
  const responseTimeoutMs = options.responseTimeoutMs ?? 120_000;
  // Keep-alive to upstreams: without it every proxied request pays a TCP handshake to the service.
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
  const proxy = new ProxyServer({ agent, xfwd: true });
  let port = options.port;

  proxy.on('proxyReq', (proxyReq) => {
    // No Nagle on upstream sockets: a request's head and its end can be separate small writes, and
    // waiting to coalesce them costs latency (the server side already has noDelay by default).
    proxyReq.setNoDelay(true);
    // A deadline for the response headers only: a server-sent event stream may then idle for hours.
    proxyReq.setTimeout(responseTimeoutMs, () =>
      proxyReq.destroy(Object.assign(new Error('no response in time'), { code: 'UPSTREAM_TIMEOUT' })),
    );
    proxyReq.once('response', () => proxyReq.setTimeout(0));
  });
  proxy.on('proxyRes', (proxyRes, _req, res) => {
    // Event streams announce themselves with headers alone; send those now rather than with the first event.
    if (String(proxyRes.headers['content-type']).startsWith('text/event-stream')) {
      setImmediate(() => {
        if (!res.headersSent) res.flushHeaders();
      });
    }
  });

  const send = (
    res: ServerResponse,
    page: RouterPage,
    headers: Readonly<Record<string, string | readonly string[]>> = {},
  ): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(page.status, {
      ...headers,
      'content-type': page.contentType,
      'cache-control': 'no-store',
      ...(page.refreshSeconds === undefined ? {} : { refresh: String(page.refreshSeconds) }),
    });
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

  const forward = (req: IncomingMessage, res: ServerResponse, resolution: HostResolution, since: number) => {
    const json = wantsJson(req.headers.accept);
    switch (resolution.kind) {
      case 'unknown':
        return send(
          res,
          options.unknownHostPage?.(req, json) ??
            unknownHostPage(resolution.host, registry.table, port, json),
        );
      case 'down':
        return send(res, servicePage(resolution.route, { kind: 'down' }, json));
      case 'wait':
        return send(
          res,
          servicePage(resolution.route, { kind: 'still-starting', waitedMs: Date.now() - since }, json),
        );
      case 'proxy': {
        const { route } = resolution;
        proxy.web(req, res, { target: { host: UPSTREAM_HOST, port: route.target.port } }, (error) => {
          const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
          // Refused before a byte was sent: the service is (re)starting; a request without a body can
          // safely wait for it like any held request.
          if (code === 'ECONNREFUSED' && !res.headersSent && hasNoBody(req) && Date.now() < since + holdMs) {
            const left = since + holdMs - Date.now();
            void registry.changed(Math.min(REFUSED_RETRY_MS, left)).then(() => dispatch(req, res, since));
            return;
          }
          const problem: ServiceProblem = { kind: 'upstream', code, message: error.message };
          send(res, servicePage(route, problem, json));
        });
        return;
      }
    }
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, since: number): void => {
    const host = hostName(req.headers.host);
    const resolution = resolveHost(registry.table, host);
    if (resolution.kind !== 'wait') {
      forward(req, res, resolution, since);
      return;
    }
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    void settle(host, since + holdMs, gone.signal).then((settled) => {
      if (!gone.signal.aborted) forward(req, res, settled, since);
    });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const since = Date.now();
    const started = performance.now();
    const id = requestId(req);
    res.setHeader('x-request-id', id);
    if (options.responseHeaders !== undefined)
      for (const [name, value] of Object.entries(options.responseHeaders)) res.setHeader(name, value);
    res.once('close', () => {
      const ms = (performance.now() - started).toFixed(1);
      accessLog(
        `${new Date(since).toISOString()} ${id} ${req.headers.host ?? '-'} "${req.method} ${req.url}" ${res.statusCode}${res.writableFinished ? '' : ' aborted'} ${ms}ms`,
      );
    });
    if (options.authorize !== undefined) {
      const verdict = options.authorize(req, registry.table.byHost.get(hostName(req.headers.host)));
      if (verdict.kind === 'respond') {
        send(res, verdict.page, verdict.headers);
        return;
      }
    }
    dispatch(req, res, since);
  };

  /** Upgraded connections are no longer the HTTP server's: closing it would wait for them forever. */
  const upgraded = new Set<Duplex>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const since = Date.now();
    const id = requestId(req);
    socket.on('error', () => socket.destroy());
    const host = hostName(req.headers.host);
    if (options.authorize !== undefined) {
      const verdict = options.authorize(req, registry.table.byHost.get(host));
      if (verdict.kind === 'respond') {
        accessLog(
          `${new Date(since).toISOString()} ${id} ${req.headers.host ?? '-'} "UPGRADE ${req.url}" ${verdict.page.status}`,
        );
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
        accessLog(
          `${new Date(since).toISOString()} ${id} ${req.headers.host ?? '-'} "UPGRADE ${req.url}" 503`,
        );
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      accessLog(`${new Date(since).toISOString()} ${id} ${req.headers.host ?? '-'} "UPGRADE ${req.url}" 101`);
      proxy.ws(
        req,
        socket,
        head,
        { target: { host: UPSTREAM_HOST, port: resolution.route.target.port } },
        () => socket.destroy(),
      );
    });
  };

  const servers: Server[] = [];
  for (const address of options.addresses ?? ['127.0.0.1', '::1']) {
    const server = createServer(
      // Uploads may be large and slow, and streams long-lived: no whole-request deadline.
      { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 65_000 },
      onRequest,
    );
    server.on('upgrade', onUpgrade);
    try {
      port = await listen(server, address, port);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A machine without IPv6 loopback: 127.0.0.1 alone serves every browser.
      if (address !== '127.0.0.1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map((open) => closeServer(open)));
      agent.destroy();
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
      for (const socket of upgraded) socket.destroy();
      await Promise.all(servers.map((server) => closeServer(server)));
      proxy.close();
      agent.destroy();
    },
  };
}

/** The request's `X-Request-Id`, added (and forwarded) when the client sent none. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && given !== '') return given;
  const id = randomUUID();
  req.headers['x-request-id'] = id;
  return id;
}

function hasNoBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] ?? '0') === '0';
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
    server.closeAllConnections();
  });
}
