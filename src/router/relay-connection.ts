import { Buffer } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { accessLine } from './access-line.js';
import type { AccessLine } from './batch-lines.js';
import {
  forwardedLines,
  forwardsNothing,
  parseRequestHead,
  type RequestHead,
  upstreamHead,
} from './request-head.js';
import { idOfLine, newRequestIdLine, requestIdLine } from './request-id-line.js';
import { ChunkedBodyEnd, clientHead, parseResponseHead, type ResponseFraming } from './response-head.js';
import type { RouteRegistry } from './route-registry.js';
import { hostName, type Route, type RouteTable, resolveHost } from './route-table.js';
import { UPSTREAM_HOST } from './route-target.js';
import { pageHeaders, servicePage, wantsJson } from './router-page.js';

/** Node's default limit for a request head; a longer one goes to Node, which answers 431. */
const MAX_HEAD_BYTES = 16 * 1024;
const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * The framing state between answers: the shape of a `ResponseFraming`, so reads of `kind` stay
 * monomorphic; never changed, so one object serves every connection.
 */
const AWAITING_HEAD: { kind: 'head'; length: number } = { kind: 'head', length: 0 };
/** The most an upstream read takes at once (as a readable stream's reads). */
const READ_SIZE = 64 * 1024;
/**
 * Where upstream reads land (`onread`): one buffer for the process, since a read is handled before the
 * next one can land. So nothing from it may outlive `#onUpstreamData`: a partial head is copied, and
 * what goes to the client leaves in a buffer of its own (`#writeClient`). In the middle of a long body
 * a read gets a buffer of its own instead (`#nextRead`), which goes to the client as it is.
 */
const UPSTREAM_READS = Buffer.allocUnsafeSlow(READ_SIZE);
/** As the full HTTP server's keep-alive timeout: a connection with nothing in flight may idle 65 s. */
const IDLE_MS = 65_000;

export interface RelayOptions {
  registry: RouteRegistry;
  /** How long an upstream may take to send its response headers (not its body). */
  responseTimeoutMs: number;
  accessLog: (line: AccessLine) => void;
  /**
   * Gives the connection to the full HTTP server (start-router-server.ts), `unread` first: the bytes
   * read from the client but not relayed, starting at a request's first byte.
   */
  handOver: (socket: Socket, unread: Buffer) => void;
}

interface InFlight {
  /** `\r\nx-request-id: <id>\r\n\r\n` (request-id-line.ts): ends the upstream's head and the client's. */
  idLine: Buffer;
  head: RequestHead;
  route: Route;
  since: number;
  started: number;
  /** The client's bytes of this request, while it can still be handed over: no body, no answer yet. */
  replay: Buffer | undefined;
  status: number;
}

interface Routed {
  host: string;
  table: RouteTable;
  route: Route;
  forwarded: Buffer;
}

/**
 * The router's fast lane, one instance per client connection: it reads request heads only (route by `Host`, add
 * the forwarded headers and the request id) and relays bytes both ways over one upstream connection
 * pinned to this client connection, following only the framing of each message. A browser keeps
 * HTTP/1.1 connections per origin, so one client connection talks to one service. The full HTTP
 * server (Node's, with undici and http-proxy-3) gets the connection, at a request boundary, as soon as
 * a request needs more than relaying: a host that is not `ready` (held requests, status pages,
 * unknown hosts), WebSocket upgrades, `Expect`, chunked uploads, anything outside the strict subset
 * request-head.ts accepts, and a bodiless request the service refused or dropped unanswered (the full
 * server holds it while the service restarts).
 */
export class ConnectionRelay {
  #unread: Buffer | undefined;
  /** Body bytes of the current request still to relay. */
  #bodyLeft = 0;
  #upstream: Socket | undefined;
  #upstreamPort = 0;
  /** Upstream bytes of a response head not complete yet. */
  #upstreamHead: Buffer | undefined;
  #framing: ResponseFraming | typeof AWAITING_HEAD = AWAITING_HEAD;
  #bodyEnd: ChunkedBodyEnd | undefined;
  /** Oldest first: responses come back in request order. */
  readonly #inFlight: InFlight[] = [];
  /** Why the client is not read: waiting for in-flight answers, or for the upstream to drain. */
  readonly #pausedFor = new Set<'answers' | 'upstream'>();
  /** Once in-flight answers are done: hand over, or close (the client asked to, or went half-closed). */
  #then: 'relay' | 'hand-over' | 'close' = 'relay';
  #done = false;
  readonly #remoteAddress: string;
  /** Since when nothing is in flight (the idle deadline), while nothing is. */
  #idleSince = Date.now();
  /** Since the last byte to or from the upstream, while an answer's head is awaited (0: none is). */
  #awaitingSince = 0;
  /** Requests answered in this read, logged once the answer is written. */
  readonly #answeredNow: InFlight[] = [];
  /**
   * The last `Host` routed, in which table, its route, and the forwarded lines of a request that
   * brings none of its own: a connection usually talks to one host, and the table changes only when an
   * environment does.
   */
  #routed: Routed | undefined;

  constructor(
    private readonly client: Socket,
    private readonly options: RelayOptions,
  ) {
    this.#remoteAddress = client.remoteAddress ?? '';
    for (const [event, listener] of this.#clientListeners) client.on(event, listener);
  }

  /** The fast lane's listeners on the client socket: removed when it hands the socket over. */
  readonly #clientListeners: readonly [string, (arg: unknown) => void][] = [
    ['data', (chunk) => this.#onClientData(chunk as Buffer)],
    ['end', () => this.#onClientEnd()],
    ['error', () => this.#destroy()],
    ['close', () => this.#destroy()],
    ['drain', () => this.#upstream?.resume()],
  ];

  /**
   * Ends a connection idle for too long, or answers 504 for an upstream silent for too long. The
   * server calls it every so often for all connections: a socket timer each would be re-armed twice
   * per request.
   */
  sweep(now: number): void {
    if (this.#done) return;
    if (this.#inFlight.length === 0) {
      if (now - this.#idleSince > IDLE_MS) this.#destroy();
    } else if (this.#awaitingSince !== 0 && now - this.#awaitingSince > this.options.responseTimeoutMs)
      this.#upstreamFailed('UPSTREAM_TIMEOUT', 'no response headers in time', 'none');
  }

  #onClientData(chunk: Buffer): void {
    this.#unread = this.#unread === undefined ? chunk : Buffer.concat([this.#unread, chunk]);
    this.#relayRequests();
  }

  /** Relays what the client sent, request by request, until it needs to wait or hand over. */
  #relayRequests(): void {
    while (!this.#done && this.#pausedFor.size === 0 && this.#unread !== undefined) {
      const unread = this.#unread;
      if (this.#bodyLeft > 0) {
        this.#writeUpstream(this.#takeBody(unread));
        continue;
      }
      if (this.#then !== 'relay') {
        // After a request that closes the connection nothing is read; before a hand-over it is kept.
        if (this.#then === 'close') this.#unread = undefined;
        return;
      }
      const end = unread.indexOf(HEAD_END);
      if (end === -1) {
        if (unread.length > MAX_HEAD_BYTES) this.#handOverAfterAnswers();
        return;
      }
      const head = parseRequestHead(unread, end);
      const routed = head === undefined ? undefined : this.#route(head);
      if (head === undefined || routed === undefined) {
        this.#handOverAfterAnswers();
        return;
      }
      const { route } = routed;
      if (this.#upstream !== undefined && this.#upstreamPort !== route.target.port) {
        // Another service on this connection (rare: a client that is not a browser). Its upstream
        // connection is opened once the answers on the current one are done.
        if (this.#inFlight.length > 0) {
          this.#pause('answers');
          return;
        }
        this.#dropUpstream();
      }
      const headEnd = end + HEAD_END.length;
      const idLine = head.requestId === undefined ? newRequestIdLine() : requestIdLine(head.requestId);
      const forwarded = forwardsNothing(head)
        ? routed.forwarded
        : forwardedLines(head.host, this.#remoteAddress, head);
      const bytes = upstreamHead(unread, end, head, forwarded, idLine);
      const replay = head.contentLength === 0 ? unread.subarray(0, headEnd) : undefined;
      this.#unread = headEnd === unread.length ? undefined : unread.subarray(headEnd);
      this.#bodyLeft = head.contentLength;
      if (head.close) this.#then = 'close';
      const upstream = this.#upstream ?? this.#connect(route.target.port);
      if (this.#unread === undefined || this.#bodyLeft === 0) {
        // The head leaves first; the bookkeeping follows while the service works on it.
        const drained = upstream.write(bytes);
        this.#track(head, route, idLine, replay);
        if (!drained) this.#pause('upstream');
      } else {
        this.#track(head, route, idLine, replay);
        // The body, or its start, usually came in the same read: one write with the head.
        this.#writeUpstream(Buffer.concat([bytes, this.#takeBody(this.#unread)]));
      }
    }
  }

  /** Where the request's host goes when its service is ready, or `undefined`: Node's server decides. */
  #route(head: RequestHead): Routed | undefined {
    const { table } = this.options.registry;
    const routed = this.#routed;
    if (routed !== undefined && routed.table === table && head.hasHost(routed.host)) return routed;
    const { host } = head;
    const resolution = resolveHost(table, hostName(host));
    if (resolution.kind !== 'proxy') return undefined;
    this.#routed = {
      host,
      table,
      route: resolution.route,
      forwarded: forwardedLines(host, this.#remoteAddress),
    };
    return this.#routed;
  }

  /** A request has been sent (or is about to be, with its body): it now awaits its answer. */
  #track(head: RequestHead, route: Route, idLine: Buffer, replay: Buffer | undefined): void {
    const now = Date.now();
    this.#inFlight.push({ idLine, head, route, since: now, started: performance.now(), replay, status: 0 });
    if (this.#inFlight.length === 1) this.#awaitingSince = now;
  }

  /** Takes what `unread` holds of the current request's body. */
  #takeBody(unread: Buffer): Buffer {
    const take = Math.min(this.#bodyLeft, unread.length);
    this.#bodyLeft -= take;
    this.#unread = take === unread.length ? undefined : unread.subarray(take);
    return take === unread.length ? unread : unread.subarray(0, take);
  }

  #connect(port: number): Socket {
    const upstream = connect({
      host: UPSTREAM_HOST,
      port,
      noDelay: true,
      // Reads go straight to the fast lane rather than through a readable stream: no buffer allocated
      // per read, no 'data' machinery. The bytes are read before the callback returns, and whatever
      // outlives it is copied (see `UPSTREAM_READS`). Node asks for the next read's buffer after each.
      onread: {
        buffer: () => this.#nextRead(),
        callback: (length, buffer) => {
          // A view of the read bytes, not a copy (Node types the buffer it hands back as Uint8Array).
          if (upstream === this.#upstream)
            this.#onUpstreamData(Buffer.from(buffer.buffer, buffer.byteOffset, length));
          return true;
        },
      },
    });
    this.#upstream = upstream;
    this.#upstreamPort = port;
    upstream.on('drain', () => this.#resume('upstream'));
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (upstream === this.#upstream)
        // Refused: nothing reached the service, any request may be sent again.
        this.#upstreamFailed(
          error.code ?? 'ERROR',
          error.message,
          error.code === 'ECONNREFUSED' ? 'any' : 'safe',
        );
    });
    upstream.on('close', () => {
      if (upstream === this.#upstream) this.#onUpstreamClose();
    });
    return upstream;
  }

  /**
   * The buffer the next upstream read lands in: the shared one, or in the middle of a long body one of
   * its own, so that a 64-KiB read is written to the client without a copy (~7 % less CPU per 1-MiB
   * answer). Such a read holds body bytes only: it is never larger than what the body has left.
   */
  #nextRead(): Buffer {
    const framing = this.#framing;
    return framing.kind === 'length' && framing.length >= READ_SIZE
      ? Buffer.allocUnsafeSlow(READ_SIZE)
      : UPSTREAM_READS;
  }

  #writeUpstream(bytes: Buffer): void {
    const request = this.#inFlight.at(-1);
    if (request !== undefined) request.replay = undefined;
    // A long upload is activity: the wait for the answer starts after its last byte.
    if (this.#awaitingSince !== 0) this.#awaitingSince = Date.now();
    if (this.#upstream?.write(bytes) === false) this.#pause('upstream');
  }

  #onUpstreamData(chunk: Buffer): void {
    // What goes to the client from this read, written once at the end: a small answer (head and body
    // in one read) then costs the client one write.
    const out: Buffer[] = [];
    try {
      let at = 0;
      while (at < chunk.length && !this.#done) {
        const request = this.#inFlight[0];
        if (request === undefined) throw new Error('the upstream sent bytes nobody asked for');
        request.replay = undefined;
        const framing = this.#framing;
        if (framing.kind === 'head') {
          const bytes = at === 0 ? chunk : chunk.subarray(at);
          const pending =
            this.#upstreamHead === undefined ? bytes : Buffer.concat([this.#upstreamHead, bytes]);
          const end = pending.indexOf(HEAD_END);
          if (end === -1) {
            if (pending.length > MAX_RESPONSE_HEAD_BYTES) throw new Error('response head too long');
            this.#upstreamHead = Buffer.from(pending); // it may be in UPSTREAM_READS
            return;
          }
          this.#upstreamHead = undefined;
          // Where the body starts in `chunk`: the head's bytes that were held back came first.
          at += end + HEAD_END.length - (pending.length - bytes.length);
          const response = parseResponseHead(pending, request.head.method, end);
          if (response === undefined || response.status === 101) throw new Error('not an HTTP/1.1 response');
          const { framing: next } = response;
          // A small answer comes whole in one read: head and body then leave in one buffer.
          const whole = next.kind === 'length' && next.length <= chunk.length - at;
          out.push(
            clientHead(
              pending,
              end,
              response,
              request.idLine,
              whole ? chunk.subarray(at, at + next.length) : undefined,
            ),
          );
          if (response.status < 200) continue; // 1xx: the final answer follows
          request.status = response.status;
          this.#awaitingSince = 0;
          if (response.close) this.#then = 'close';
          if (whole) {
            at += next.length;
            // The usual answer, whole in one read: it leaves before the bookkeeping.
            if (at === chunk.length) this.#writeClient(out);
            this.#answered(out);
            continue;
          }
          this.#framing = next;
          if (next.kind === 'chunked') this.#bodyEnd = new ChunkedBodyEnd();
          if (next.kind === 'none') this.#answered(out);
          continue;
        }
        if (framing.kind === 'close') {
          out.push(at === 0 ? chunk : chunk.subarray(at));
          return;
        }
        let take: number;
        let done: boolean;
        if (framing.kind === 'length') {
          take = Math.min(framing.length, chunk.length - at);
          framing.length -= take;
          done = framing.length === 0;
        } else if (framing.kind === 'chunked' && this.#bodyEnd !== undefined) {
          ({ used: take, done } = this.#bodyEnd.scan(chunk, at));
        } else throw new Error('no response framing');
        out.push(at === 0 && take === chunk.length ? chunk : chunk.subarray(at, at + take));
        at += take;
        if (done) this.#answered(out);
      }
    } catch (error) {
      // A broken response (or one too many): end both connections, as a cut one would.
      out.length = 0;
      this.#logAborted(error instanceof Error ? error.message : String(error));
      this.#destroy();
    } finally {
      this.#writeClient(out);
      this.#logAnswered();
    }
  }

  /** Logs the requests answered in this read: after the answers are written, off their path. */
  #logAnswered(): void {
    for (const request of this.#answeredNow) this.#log(request, request.status);
    this.#answeredNow.length = 0;
  }

  /** Writes `out` to the client, and empties it; a slow client pauses the upstream. */
  #writeClient(out: Buffer[]): void {
    if (out.length === 0 || this.client.destroyed) return;
    const first = out[0] as Buffer;
    // A write the socket cannot take at once keeps its buffer: never one in UPSTREAM_READS.
    const bytes = out.length === 1 && first.buffer !== UPSTREAM_READS.buffer ? first : Buffer.concat(out);
    out.length = 0;
    if (!this.client.write(bytes)) this.#upstream?.pause();
  }

  /** The oldest request got its whole answer (`out`: what is still to be written of it). */
  #answered(out: Buffer[]): void {
    const request = this.#inFlight.shift();
    this.#framing = AWAITING_HEAD;
    this.#bodyEnd = undefined;
    if (request !== undefined) this.#answeredNow.push(request);
    if (this.#inFlight.length > 0) {
      this.#awaitingSince = Date.now();
      return;
    }
    this.#idleSince = Date.now();
    if (this.#then === 'close') {
      this.#done = true;
      this.#writeClient(out);
      this.client.end();
      this.#dropUpstream();
    } else if (this.#then === 'hand-over') {
      this.#writeClient(out);
      this.#handOver();
    } else this.#resume('answers');
  }

  #onUpstreamClose(): void {
    if (this.#framing.kind === 'close' && this.#inFlight.length > 0) {
      // The answer that lasts until the connection closes is complete: so is the client's.
      this.#then = 'close';
      this.#answered([]);
      this.#logAnswered();
      return;
    }
    if (this.#inFlight.length === 0) {
      // An idle connection the service closed (its keep-alive timeout, a restart): the next request
      // opens a new one.
      this.#dropUpstream();
      return;
    }
    this.#upstreamFailed('ECONNRESET', 'the service closed the connection without answering', 'safe');
  }

  /**
   * The upstream connection failed with requests in flight. `replay`: which requests not answered at
   * all go to the full server, which sends them again: `any` when the service never got them (refused),
   * `safe` (GET, HEAD, OPTIONS: RFC 9110 §9.2.1) when it may have, `none` after a timeout (it would wait
   * as long again).
   */
  #upstreamFailed(code: string, message: string, replay: 'any' | 'safe' | 'none'): void {
    const requests = this.#inFlight;
    const first = requests[0];
    this.#dropUpstream();
    if (first === undefined) return;
    const canReplay =
      replay !== 'none' &&
      this.#bodyLeft === 0 &&
      !this.client.readableEnded &&
      requests.every(
        (request) =>
          request.replay !== undefined && (replay === 'any' || SAFE_METHODS.has(request.head.method)),
      );
    if (canReplay) {
      // Refused or dropped before a byte of answer, and nothing sent that cannot be sent again: the
      // full server retries and holds these while the service (re)starts.
      const replay = Buffer.concat([
        ...requests.map((request) => request.replay as Buffer),
        ...(this.#unread === undefined ? [] : [this.#unread]),
      ]);
      requests.length = 0;
      this.#unread = replay;
      this.#handOver();
      return;
    }
    if (first.status !== 0) {
      // Cut in the middle of an answer: so is the client's.
      this.#destroy();
      return;
    }
    // No answer at all: the client gets the page that says why, and the connection closes.
    const page = servicePage(first.route, { kind: 'upstream', code, message }, wantsJson(first.head.accept));
    first.status = page.status;
    requests.shift();
    this.#log(first, page.status);
    this.#logAborted();
    this.#done = true;
    const headers = Object.entries(pageHeaders(page, idOfLine(first.idLine)))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.client.end(
      `HTTP/1.1 ${page.status} ${STATUS_CODES[page.status] ?? ''}\r\n${headers}content-length: ${Buffer.byteLength(page.body)}\r\nconnection: close\r\n\r\n${page.body}`,
    );
  }

  /** Hands the connection over once the answers in flight are done (at once when there are none). */
  #handOverAfterAnswers(): void {
    this.#then = 'hand-over';
    if (this.#inFlight.length === 0) this.#handOver();
    else this.#pause('answers');
  }

  #handOver(): void {
    if (this.#done) return;
    this.#done = true;
    this.#dropUpstream();
    const client = this.client;
    for (const [event, listener] of this.#clientListeners) client.off(event, listener);
    client.pause();
    this.options.handOver(client, this.#unread ?? Buffer.alloc(0));
  }

  #onClientEnd(): void {
    // A client that half-closes still gets its answers; nothing more is read.
    this.#unread = undefined;
    if (this.#inFlight.length === 0 || this.#bodyLeft > 0) this.#destroy();
    else this.#then = 'close';
  }

  #pause(reason: 'answers' | 'upstream'): void {
    this.#pausedFor.add(reason);
    this.client.pause();
  }

  #resume(reason: 'answers' | 'upstream'): void {
    if (!this.#pausedFor.delete(reason) || this.#pausedFor.size > 0 || this.#done) return;
    this.client.resume();
    this.#relayRequests();
  }

  #dropUpstream(): void {
    const upstream = this.#upstream;
    this.#upstream = undefined;
    this.#upstreamHead = undefined;
    this.#framing = AWAITING_HEAD;
    this.#pausedFor.delete('upstream');
    upstream?.destroy();
  }

  #destroy(): void {
    if (this.#inFlight.length > 0) this.#logAborted();
    this.#done = true;
    this.#dropUpstream();
    this.client.destroy();
  }

  /** Logs the requests in flight as cut off (`why`: the router's reason, when it was not the client). */
  #logAborted(why?: string): void {
    const reason = why === undefined ? '' : ` (${why})`;
    for (const request of this.#inFlight.splice(0))
      this.#log(request, `${request.status || 502} aborted${reason}`);
  }

  #log(request: InFlight, status: number | string): void {
    const ms = performance.now() - request.started;
    const { head, since, idLine } = request;
    // Formatted when the batch of lines is written (batch-lines.ts), off the request's path.
    this.options.accessLog(() =>
      accessLine({
        since,
        id: idOfLine(idLine),
        host: head.host,
        method: head.method,
        target: head.target,
        status,
        ms,
      }),
    );
  }
}
