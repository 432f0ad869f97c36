import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ProxyServer } from 'http-proxy-3';
import { type Dispatcher, Pool } from 'undici';
import { appendToList, HOP_BY_HOP_HEADERS, hostPort } from './request-head.js';
import { UPSTREAM_HOST } from './route-target.js';

/** Never forwarded (`expect`: Node's server has already answered `100 Continue` by the time we forward). */
const HOP_BY_HOP = new Set(HOP_BY_HOP_HEADERS);

export interface UpstreamProxyOptions {
  /** How long an upstream may take to send its response headers (not its body). */
  responseTimeoutMs: number;
}

/**
 * Proxies to services on 127.0.0.1: HTTP through one undici pool per port (keep-alive, streaming both
 * ways with back-pressure), WebSocket upgrades through http-proxy-3. The only importer of both
 * libraries, so the choice stays in this file.
 */
export interface UpstreamProxy {
  /**
   * Sends `req` to the service on `port` and streams its answer into `res`. `onError` gets failures
   * that happen before the response headers were sent (the caller answers with a page); later ones
   * end the response abruptly, as the upstream did.
   */
  web(
    req: IncomingMessage,
    res: ServerResponse,
    port: number,
    requestId: string,
    onError: (error: NodeJS.ErrnoException) => void,
  ): void;
  /** Proxies a WebSocket (any upgrade) to the service on `port`; `onError` once it fails. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, port: number, onError: () => void): void;
  close(): Promise<void>;
}

export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  // One pool per service port. An idle pool holds no socket (undici closes idle connections after the
  // upstream's keep-alive timeout), so pools of services that went away cost a few objects only.
  const pools = new Map<number, Pool>();
  const poolFor = (port: number): Pool => {
    let pool = pools.get(port);
    if (pool === undefined) {
      pool = new Pool(`http://${UPSTREAM_HOST}:${port}`, {
        pipelining: 1,
        // A deadline for the response headers only: a server-sent event stream may then idle for hours.
        headersTimeout: options.responseTimeoutMs,
        bodyTimeout: 0,
      });
      pools.set(port, pool);
    }
    return pool;
  };
  const ws = new ProxyServer({ xfwd: true });

  return {
    web(req, res, port, requestId, onError) {
      const handler = new ResponseRelay(res, requestId, onError);
      poolFor(port).dispatch(
        {
          path: req.url ?? '/',
          method: req.method ?? 'GET',
          headers: forwardedHeaders(req, requestId),
          // A request without a body must not make undici wait for one.
          body: hasNoBody(req) ? null : req,
        },
        handler,
      );
    },
    upgrade(req, socket, head, port, onError) {
      ws.ws(req, socket, head, { target: { host: UPSTREAM_HOST, port } }, onError);
    },
    async close() {
      ws.close();
      await Promise.all([...pools.values()].map((pool) => pool.destroy()));
      pools.clear();
    },
  };
}

/**
 * The request's headers for the upstream, as a flat `[name, value, …]` list (names as the client
 * spelled them): hop-by-hop ones dropped, `X-Forwarded-For/Port/Proto` appended to, `X-Forwarded-Host`
 * and `X-Request-Id` set when absent.
 */
function forwardedHeaders(req: IncomingMessage, requestId: string): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  // Headers named by `Connection` are hop-by-hop too.
  const connection = req.headers.connection;
  const named =
    connection === undefined || connection === 'keep-alive' || connection === 'close'
      ? undefined
      : new Set(connection.toLowerCase().split(/\s*,\s*/));
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named?.has(lower)) continue;
    if (lower.startsWith('x-')) {
      if (lower === 'x-forwarded-for') forwardedFor = appendToList(forwardedFor, value);
      else if (lower === 'x-forwarded-port') forwardedPort = appendToList(forwardedPort, value);
      else if (lower === 'x-forwarded-proto') forwardedProto = appendToList(forwardedProto, value);
      else if (lower === 'x-request-id')
        continue; // re-added below, exactly once
      else {
        if (lower === 'x-forwarded-host') forwardedHost = true;
        out.push(name, value);
      }
      continue;
    }
    out.push(name, value);
  }
  const host = req.headers.host ?? '';
  const port = hostPort(host);
  out.push(
    'x-forwarded-for',
    appendToList(forwardedFor, req.socket.remoteAddress ?? ''),
    'x-forwarded-port',
    appendToList(forwardedPort, port),
    'x-forwarded-proto',
    appendToList(forwardedProto, 'http'),
    'x-request-id',
    requestId,
  );
  if (!forwardedHost) out.push('x-forwarded-host', host);
  return out;
}

export function hasNoBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] ?? '0') === '0';
}

/** Relays undici's response events into the client's response, pausing the upstream when the client is slow. */
class ResponseRelay implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #resume = (): void => this.#controller?.resume();
  /** The first body chunk, until the response ends or the current parse is over. */
  #held: Buffer | undefined;
  #wroteBody = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly requestId: string,
    private readonly onError: (error: NodeJS.ErrnoException) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // The client left: stop the upstream request instead of reading an answer nobody wants.
    this.res.once('close', () => {
      if (!this.res.writableFinished && !controller.aborted) controller.abort(new Error('client closed'));
    });
    if (this.res.destroyed) controller.abort(new Error('client closed'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    const out: OutgoingHttpHeaders = {};
    for (const name in headers) if (!HOP_BY_HOP.has(name)) out[name] = headers[name];
    out['x-request-id'] = this.requestId;
    this.res.writeHead(statusCode, statusMessage, out);
    // Event streams announce themselves with headers alone; send those now rather than with the first event.
    if (String(headers['content-type']).startsWith('text/event-stream')) this.res.flushHeaders();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // A small response arrives whole: head, body and end in one parse. Holding its body until the end
    // (or a microtask, for a stream that goes on) sends it with `end(body)`, one write instead of two.
    if (this.#held === undefined && !this.#wroteBody) {
      this.#held = chunk;
      queueMicrotask(this.#flushHeld);
      return;
    }
    this.#flushHeld();
    this.#write(controller, chunk);
  }

  onResponseEnd(): void {
    const held = this.#held;
    this.#held = undefined;
    if (held === undefined) this.res.end();
    else this.res.end(held);
  }

  #flushHeld = (): void => {
    const held = this.#held;
    if (held === undefined || this.#controller === undefined) return;
    this.#held = undefined;
    this.#write(this.#controller, held);
  };

  #write(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#wroteBody = true;
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', this.#resume);
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#held = undefined;
    if (this.res.headersSent || this.res.destroyed) {
      this.res.destroy();
      return;
    }
    this.onError(error as NodeJS.ErrnoException);
  }
}
