/**
 * The router's fast lane reads request heads itself (see relay-connection.ts). It accepts a strict
 * subset of HTTP/1.1 only: whatever falls outside it is handed, unread, to Node's own HTTP server,
 * whose parser (llhttp) decides, so that no ambiguous message (request smuggling: Content-Length
 * against Transfer-Encoding, folded or malformed headers) is ever interpreted twice, differently.
 */
export interface RequestHead {
  method: string;
  /** The request target as sent (origin form: `/path?query`). */
  target: string;
  /** The `Host` header, as sent. */
  host: string;
  /** Bytes of body that follow the head (0 without `Content-Length`). */
  contentLength: number;
  /** The client asked to close the connection after this request. */
  close: boolean;
  /** The client's `X-Request-Id`, if it sent a non-empty one. */
  requestId: string | undefined;
  /** The `Accept` header: a page the router answers itself is JSON when it asks for JSON. */
  accept: string | undefined;
  /**
   * The request line and the headers to forward, each ending in CRLF, when some were dropped
   * (hop-by-hop ones, and the forwarded ones that are re-added); `undefined` when the head is forwarded
   * as the client sent it (the usual case: its bytes are then relayed as they are).
   */
  kept: string | undefined;
  forwardedFor: string | undefined;
  forwardedPort: string | undefined;
  forwardedProto: string | undefined;
  hasForwardedHost: boolean;
}

/** Origin-form requests of HTTP/1.1 only: `CONNECT`, absolute-form, `*` and HTTP/1.0 go to Node. */
const REQUEST_LINE = /^([A-Z]+) (\/[\x21-\x7e\x80-\xff]*) HTTP\/1\.1$/;
/** A header name (RFC 9110 §5.1): so no whitespace before the colon. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value: no control characters but HTAB (so no bare CR or LF either). */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const DIGITS = /^\d{1,15}$/;

/**
 * Headers about one connection (RFC 9110 §7.6.1), dropped. `Transfer-Encoding`, `Upgrade` and
 * `Expect` never get here: such requests go to Node.
 */
const HOP_BY_HOP = new Set(['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer']);

/**
 * Parses the head in `text` (latin1, without its final empty line), or `undefined` when the request is
 * not one the fast lane relays: then Node's HTTP server gets it, and answers or rejects it.
 */
export function parseRequestHead(text: string): RequestHead | undefined {
  const firstEnd = text.indexOf('\r\n');
  const requestLine = REQUEST_LINE.exec(firstEnd === -1 ? text : text.slice(0, firstEnd));
  if (requestLine === null || requestLine[1] === 'CONNECT') return undefined;
  // Each header's lowercase name and where its line is: lines are cut only if some must be dropped.
  const names: string[] = [];
  const lineStarts: number[] = [];
  let host: string | undefined;
  let contentLength: string | undefined;
  let connection = '';
  let requestId: string | undefined;
  let accept: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let hasForwardedHost = false;
  for (let start = firstEnd === -1 ? -1 : firstEnd + 2; start !== -1; ) {
    const next = text.indexOf('\r\n', start);
    const end = next === -1 ? text.length : next;
    const colon = text.indexOf(':', start);
    if (colon <= start || colon >= end) return undefined;
    const rawName = text.slice(start, colon);
    const rawValue = text.slice(colon + 1, end);
    if (!TOKEN.test(rawName) || !VALUE.test(rawValue)) return undefined;
    const name = rawName.toLowerCase();
    const value = trimSpaces(rawValue);
    names.push(name);
    lineStarts.push(start);
    start = next === -1 ? -1 : next + 2;
    switch (name) {
      case 'host':
        if (host !== undefined) return undefined;
        host = value;
        break;
      case 'content-length':
        if (contentLength !== undefined || !DIGITS.test(value)) return undefined;
        contentLength = value;
        break;
      case 'transfer-encoding':
      case 'upgrade':
      case 'expect':
      case 'http2-settings':
        return undefined;
      case 'connection':
        connection = connection === '' ? value : `${connection}, ${value}`;
        break;
      case 'accept':
        accept = value;
        break;
      case 'x-request-id':
        if (value !== '') requestId ??= value;
        break;
      case 'x-forwarded-for':
        forwardedFor = appendToList(forwardedFor, value);
        break;
      case 'x-forwarded-port':
        forwardedPort = appendToList(forwardedPort, value);
        break;
      case 'x-forwarded-proto':
        forwardedProto = appendToList(forwardedProto, value);
        break;
      case 'x-forwarded-host':
        hasForwardedHost = true;
        break;
    }
  }
  if (host === undefined || host === '') return undefined;
  let close = false;
  // Headers named by `Connection` are hop-by-hop too.
  const named = new Set<string>();
  if (connection !== '') {
    for (const token of connection.toLowerCase().split(',')) {
      const option = token.trim();
      if (option === 'close') close = true;
      else if (option === 'upgrade') return undefined;
      else if (option !== 'keep-alive' && option !== '') named.add(option);
    }
  }
  const dropped = (name: string): boolean =>
    name === 'connection' ||
    name === 'x-request-id' ||
    name === 'x-forwarded-for' ||
    name === 'x-forwarded-port' ||
    name === 'x-forwarded-proto' ||
    HOP_BY_HOP.has(name) ||
    named.has(name);
  let kept: string | undefined;
  if (names.some(dropped)) {
    kept = `${text.slice(0, firstEnd)}\r\n`;
    for (let i = 0; i < names.length; i++) {
      if (dropped(names[i] as string)) continue;
      const start = lineStarts[i] as number;
      const next = text.indexOf('\r\n', start);
      kept += `${text.slice(start, next === -1 ? text.length : next)}\r\n`;
    }
  }
  return {
    method: requestLine[1] as string,
    target: requestLine[2] as string,
    host,
    contentLength: contentLength === undefined ? 0 : Number(contentLength),
    close,
    requestId,
    accept,
    kept,
    forwardedFor,
    forwardedPort,
    forwardedProto,
    hasForwardedHost,
  };
}

/**
 * The head sent upstream, from the client's (`raw`: its bytes, up to and without the final empty
 * line): the kept headers, `X-Forwarded-For/Port/Proto` appended to, `X-Forwarded-Host` set when absent
 * and `X-Request-Id` set exactly once — the same headers as the full proxy sends.
 */
export function upstreamHead(
  head: RequestHead,
  raw: Buffer,
  requestId: string,
  remoteAddress: string,
): Buffer {
  const { host } = head;
  const added = `x-forwarded-for: ${appendToList(head.forwardedFor, remoteAddress)}\r\nx-forwarded-port: ${appendToList(head.forwardedPort, hostPort(host))}\r\nx-forwarded-proto: ${appendToList(head.forwardedProto, 'http')}\r\nx-request-id: ${requestId}\r\n${head.hasForwardedHost ? '' : `x-forwarded-host: ${host}\r\n`}\r\n`;
  if (head.kept !== undefined) return Buffer.from(head.kept + added, 'latin1');
  const bytes = Buffer.allocUnsafe(raw.length + 2 + added.length);
  raw.copy(bytes);
  bytes.write(`\r\n${added}`, raw.length, 'latin1');
  return bytes;
}

/** `value` without the spaces and tabs around it (not `trim`: that also takes latin1's 0xA0). */
function trimSpaces(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** `value` added to a `, `-separated header list (`X-Forwarded-For`), or the list's first value. */
export const appendToList = (list: string | undefined, value: string): string =>
  list === undefined ? value : `${list}, ${value}`;

/** The port a `Host` header names (after the last colon outside IPv6 brackets), or HTTP's 80. */
export function hostPort(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '80';
}
