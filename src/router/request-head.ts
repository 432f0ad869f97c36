import { Buffer } from 'node:buffer';
import {
  connectionOptions,
  digits,
  isName,
  isSpace,
  OPTION_CLOSE,
  OPTION_OTHER,
  OPTION_UPGRADE,
} from './head-bytes.js';
import { joinWithout, type Ranges } from './join-without.js';

const NO_DROP: Ranges = [];

// The router's fast lane reads request heads itself (see relay-connection.ts). It accepts a strict
// subset of HTTP/1.1 only: whatever falls outside it is handed, unread, to Node's own HTTP server,
// whose parser (llhttp) decides, so that no ambiguous message (request smuggling: Content-Length
// against Transfer-Encoding, folded or malformed headers) is ever interpreted twice, differently.

/**
 * A request head the fast lane relays, built by `parseRequestHead`. Its strings (target, `Host`,
 * `Accept`) are made from the client's bytes only when asked for: routing compares bytes
 * (`hasHost`), and the target is wanted only for the access log, after the answer.
 */
export class RequestHead {
  method = '';
  /** Bytes of body that follow the head (0 without `Content-Length`). */
  contentLength = 0;
  /** The client asked to close the connection after this request. */
  close = false;
  /** The client's `X-Request-Id`, if it sent a non-empty one. */
  requestId: string | undefined;
  /**
   * The header lines not forwarded (hop-by-hop ones, and the forwarded ones that are re-added), each
   * from the CRLF before it; usually none, and the client's bytes are then relayed as they are.
   */
  drop: Ranges = NO_DROP;
  forwardedFor: string | undefined;
  forwardedPort: string | undefined;
  forwardedProto: string | undefined;
  hasForwardedHost = false;
  targetStart = 0;
  targetEnd = 0;
  hostStart = 0;
  hostEnd = 0;
  /** -1: no `Accept` header. */
  acceptStart = -1;
  acceptEnd = -1;
  #target: string | undefined;
  #host: string | undefined;

  /** `raw`: the client's bytes, the head first. */
  constructor(readonly raw: Buffer) {}

  /** The request target as sent (origin form: `/path?query`). */
  get target(): string {
    this.#target ??= this.raw.toString('latin1', this.targetStart, this.targetEnd);
    return this.#target;
  }

  /** The `Host` header, as sent. */
  get host(): string {
    this.#host ??= this.raw.toString('latin1', this.hostStart, this.hostEnd);
    return this.#host;
  }

  /** The `Accept` header: a page the router answers itself is JSON when it asks for JSON. */
  get accept(): string | undefined {
    return this.acceptStart === -1
      ? undefined
      : this.raw.toString('latin1', this.acceptStart, this.acceptEnd);
  }

  /** Whether the `Host` header is `host` (as sent), compared byte by byte: no string is made. */
  hasHost(host: string): boolean {
    if (this.hostEnd - this.hostStart !== host.length) return false;
    for (let i = 0; i < host.length; i++)
      if (this.raw[this.hostStart + i] !== host.charCodeAt(i)) return false;
    return true;
  }
}

/** Byte classes: a header name's (RFC 9110 §5.1: so no whitespace before the colon)… */
const TOKEN = 1;
/** …a header value's (no control characters but HTAB: so no bare CR or LF either)… */
const VALUE = 2;
/** …and an origin-form request target's. */
const TARGET = 4;
const CLASSES = (() => {
  const classes = new Uint8Array(256);
  const tokens = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (let byte = 0; byte < 256; byte++) {
    classes[byte] =
      (tokens.includes(String.fromCharCode(byte)) ? TOKEN : 0) |
      (byte === 0x09 || (byte >= 0x20 && byte !== 0x7f) ? VALUE : 0) |
      (byte > 0x20 && byte !== 0x7f ? TARGET : 0);
  }
  return classes;
})();
const HTTP_1_1 = Buffer.from(' HTTP/1.1');
/** The usual methods, with their names as strings made once. */
const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'].map(
  (method) => [Buffer.from(method), method] as const,
);
const name = (text: string): Buffer => Buffer.from(text);
const HOST = name('host');
const CONTENT_LENGTH = name('content-length');
const CONNECTION = name('connection');
const ACCEPT = name('accept');
const X_REQUEST_ID = name('x-request-id');
const X_FORWARDED_FOR = name('x-forwarded-for');
const X_FORWARDED_PORT = name('x-forwarded-port');
const X_FORWARDED_PROTO = name('x-forwarded-proto');
const X_FORWARDED_HOST = name('x-forwarded-host');
/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded, by either
 * lane (upstream-proxy.ts too), and so are the headers `Connection` names. `expect` too: a proxy
 * answers `100 Continue` itself.
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
];
const HTTP2_SETTINGS = name('http2-settings');
/** Requests with these go to Node: bodies it frames (chunked), upgrades, `Expect`, h2c. */
const REFUSED = [...['transfer-encoding', 'upgrade', 'expect'].map(name), HTTP2_SETTINGS];
/** The other hop-by-hop headers but `Connection` (read, then dropped): dropped. */
const HOP_BY_HOP = HOP_BY_HOP_HEADERS.map(name).filter(
  (header) => !header.equals(CONNECTION) && !REFUSED.some((refused) => refused.equals(header)),
);

/**
 * Parses the head in `raw[0, end)` (without its final empty line), or `undefined` when the request is
 * not one the fast lane relays: then Node's HTTP server gets it, and answers or rejects it. It is on
 * every request's path, so it reads bytes in plain loops: only the method, target and `Host` always
 * become strings, other values only when they are there.
 */
export function parseRequestHead(raw: Buffer, end = raw.length): RequestHead | undefined {
  // Request line: origin-form requests of HTTP/1.1 only (`CONNECT`, absolute-form, `*` and HTTP/1.0
  // go to Node).
  let at = 0;
  while (at < end && (raw[at] as number) >= 0x41 && (raw[at] as number) <= 0x5a) at++;
  const methodEnd = at;
  if (methodEnd === 0 || raw[at] !== 0x20 || raw[at + 1] !== 0x2f) return undefined;
  at++;
  const targetStart = at;
  while (at < end && (CLASSES[raw[at] as number] as number) & TARGET) at++;
  const targetEnd = at;
  if (!isAt(raw, at, end, HTTP_1_1)) return undefined;
  at += HTTP_1_1.length;
  if (at !== end && !isCrLf(raw, at)) return undefined;
  const method = methodName(raw, methodEnd);
  if (method === 'CONNECT') return undefined;
  let hostStart = -1;
  let hostEnd = -1;
  let acceptStart = -1;
  let acceptEnd = -1;
  let contentLength = -1;
  let options = 0;
  let requestId: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let hasForwardedHost = false;
  let drop: [number, number][] | undefined;
  // `at`: the CRLF before each header line.
  while (at < end) {
    const line = at + 2;
    let colon = line;
    while (colon < end && (CLASSES[raw[colon] as number] as number) & TOKEN) colon++;
    if (colon === line || raw[colon] !== 0x3a) return undefined;
    let lineEnd = colon + 1;
    while (lineEnd < end && (CLASSES[raw[lineEnd] as number] as number) & VALUE) lineEnd++;
    if (lineEnd !== end && !isCrLf(raw, lineEnd)) return undefined;
    let valueStart = colon + 1;
    let valueEnd = lineEnd;
    while (valueStart < valueEnd && isSpace(raw[valueStart])) valueStart++;
    while (valueEnd > valueStart && isSpace(raw[valueEnd - 1])) valueEnd--;
    let dropped = false;
    // By the name's first letter (lowercased by setting bit 0x20): most lines are none of these.
    switch ((raw[line] as number) | 0x20) {
      case 0x68: // h
        if (isName(raw, line, colon, HOST)) {
          if (hostStart !== -1) return undefined;
          hostStart = valueStart;
          hostEnd = valueEnd;
        } else if (isName(raw, line, colon, HTTP2_SETTINGS)) return undefined;
        break;
      case 0x63: // c
        if (isName(raw, line, colon, CONTENT_LENGTH)) {
          if (contentLength !== -1) return undefined;
          contentLength = digits(raw, valueStart, valueEnd);
          if (Number.isNaN(contentLength)) return undefined;
        } else if (isName(raw, line, colon, CONNECTION)) {
          options |= connectionOptions(raw, valueStart, valueEnd);
          if (options & OPTION_UPGRADE) return undefined;
          dropped = true;
        }
        break;
      case 0x74: // t
      case 0x75: // u
      case 0x65: // e
        if (isOneOf(raw, line, colon, REFUSED)) return undefined;
        dropped = isOneOf(raw, line, colon, HOP_BY_HOP);
        break;
      case 0x6b: // k
      case 0x70: // p
        dropped = isOneOf(raw, line, colon, HOP_BY_HOP);
        break;
      case 0x61: // a
        if (isName(raw, line, colon, ACCEPT)) {
          acceptStart = valueStart;
          acceptEnd = valueEnd;
        }
        break;
      case 0x78: // x
        if (isName(raw, line, colon, X_REQUEST_ID)) {
          if (valueEnd > valueStart) requestId ??= raw.toString('latin1', valueStart, valueEnd);
          dropped = true;
        } else if (isName(raw, line, colon, X_FORWARDED_FOR)) {
          forwardedFor = appendToList(forwardedFor, raw.toString('latin1', valueStart, valueEnd));
          dropped = true;
        } else if (isName(raw, line, colon, X_FORWARDED_PORT)) {
          forwardedPort = appendToList(forwardedPort, raw.toString('latin1', valueStart, valueEnd));
          dropped = true;
        } else if (isName(raw, line, colon, X_FORWARDED_PROTO)) {
          forwardedProto = appendToList(forwardedProto, raw.toString('latin1', valueStart, valueEnd));
          dropped = true;
        } else if (isName(raw, line, colon, X_FORWARDED_HOST)) hasForwardedHost = true;
        break;
    }
    if (dropped) {
      drop ??= [];
      drop.push([at, lineEnd]);
    }
    at = lineEnd;
  }
  if (hostStart === hostEnd) return undefined; // none, or empty
  const head = new RequestHead(raw);
  head.method = method;
  if (contentLength !== -1) head.contentLength = contentLength;
  head.close = (options & OPTION_CLOSE) !== 0;
  head.requestId = requestId;
  if (options & OPTION_OTHER) head.drop = dropNamed(raw, end, targetEnd, drop ?? []);
  else if (drop !== undefined) head.drop = drop;
  head.forwardedFor = forwardedFor;
  head.forwardedPort = forwardedPort;
  head.forwardedProto = forwardedProto;
  head.hasForwardedHost = hasForwardedHost;
  head.targetStart = targetStart;
  head.targetEnd = targetEnd;
  head.hostStart = hostStart;
  head.hostEnd = hostEnd;
  head.acceptStart = acceptStart;
  head.acceptEnd = acceptEnd;
  return head;
}

/**
 * The forwarded header lines for a request to `host` (its `Host` header) from `remoteAddress`, each
 * CRLF first: `X-Forwarded-For/Port/Proto` appended to what the client `sent` and `X-Forwarded-Host`
 * set when it sent none, as the full proxy does. The head's last line, `X-Request-Id`
 * (request-id-line.ts), follows them.
 */
export function forwardedLines(host: string, remoteAddress: string, sent?: RequestHead): Buffer {
  return Buffer.from(
    `\r\nx-forwarded-for: ${appendToList(sent?.forwardedFor, remoteAddress)}\r\nx-forwarded-port: ${appendToList(sent?.forwardedPort, hostPort(host))}\r\nx-forwarded-proto: ${appendToList(sent?.forwardedProto, 'http')}${sent?.hasForwardedHost ? '' : `\r\nx-forwarded-host: ${host}`}`,
    'latin1',
  );
}

/** Whether the client sent none of the forwarded headers (the usual case: `forwardedLines` then depend on the host only). */
export const forwardsNothing = (head: RequestHead): boolean =>
  head.forwardedFor === undefined &&
  head.forwardedPort === undefined &&
  head.forwardedProto === undefined &&
  !head.hasForwardedHost;

/**
 * The head sent upstream: the client's (`raw[0, end)`, its bytes as sent) without the dropped lines,
 * then the `forwarded` lines and the `idLine`, which ends the head.
 */
export const upstreamHead = (
  raw: Buffer,
  end: number,
  head: RequestHead,
  forwarded: Buffer,
  idLine: Buffer,
): Buffer => joinWithout(raw, end, head.drop, forwarded, idLine);

/**
 * `drop` and the lines of the headers `Connection` names (rare: so done with strings), in order.
 * `at`: where the request line ends.
 */
function dropNamed(raw: Buffer, end: number, at: number, drop: [number, number][]): [number, number][] {
  const text = raw.toString('latin1', 0, end);
  const named = new Set<string>();
  const lines: [number, number, string][] = [];
  for (let start = text.indexOf('\r\n', at); start !== -1; ) {
    const next = text.indexOf('\r\n', start + 2);
    const lineEnd = next === -1 ? end : next;
    const line = text.slice(start + 2, lineEnd);
    const colon = line.indexOf(':');
    const lower = line.slice(0, colon).toLowerCase();
    if (lower === 'connection')
      for (const option of line
        .slice(colon + 1)
        .toLowerCase()
        .split(','))
        named.add(option.trim());
    lines.push([start, lineEnd, lower]);
    start = next;
  }
  const all = [...drop];
  for (const [start, lineEnd, lower] of lines)
    if (named.has(lower) && !drop.some(([from]) => from === start)) all.push([start, lineEnd]);
  return all.sort((a, b) => a[0] - b[0]);
}

/** The method's name: one of the usual ones without a new string. */
function methodName(raw: Buffer, end: number): string {
  for (const [bytes, method] of METHODS) if (end === bytes.length && isAt(raw, 0, end, bytes)) return method;
  return raw.toString('latin1', 0, end);
}

/** Whether `raw[at, …)` holds `bytes`, before `end`. */
function isAt(raw: Buffer, at: number, end: number, bytes: Buffer): boolean {
  if (end - at < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (raw[at + i] !== bytes[i]) return false;
  return true;
}

function isOneOf(raw: Buffer, from: number, to: number, lowercase: readonly Buffer[]): boolean {
  for (const name of lowercase) if (isName(raw, from, to, name)) return true;
  return false;
}

const isCrLf = (raw: Buffer, at: number): boolean => raw[at] === 0x0d && raw[at + 1] === 0x0a;

/** `value` added to a `, `-separated header list (`X-Forwarded-For`), or the list's first value. */
export const appendToList = (list: string | undefined, value: string): string =>
  list === undefined ? value : `${list}, ${value}`;

/** The port a `Host` header names (after the last colon outside IPv6 brackets), or HTTP's 80. */
export function hostPort(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '80';
}
