/** How the body of a response ends (RFC 9112 §6.3), which is all the fast lane needs to know of it. */
export type ResponseFraming =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  /** Until the upstream closes the connection. */
  | { kind: 'close' };

export interface ResponseHead {
  status: number;
  framing: ResponseFraming;
  /** The upstream closes the connection after this response. */
  close: boolean;
  /**
   * Where the header lines the client does not get are (`[start, end)` in the head, each from the CRLF
   * before the line): the upstream's `Keep-Alive` (about its connection to the router, not the
   * client's) and `X-Request-Id` (the router's replaces it). See `clientHead`.
   */
  drop: readonly (readonly [number, number])[];
}

const CRLF = Buffer.from('\r\n');
const HTTP_1 = Buffer.from('HTTP/1.');
const CONTENT_LENGTH = Buffer.from('content-length');
const CONNECTION = Buffer.from('connection');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding');
const KEEP_ALIVE = Buffer.from('keep-alive');
const X_REQUEST_ID = Buffer.from('x-request-id');

/**
 * Parses an upstream's response head (`raw`: its bytes, up to and without the final empty line) to
 * the request made with `method`, or `undefined` when it is not HTTP/1.x (the connection is then
 * broken off). Services run on this machine, so this is lenient where framing is not at stake. It is
 * on every response's path, so it reads bytes: only the values of the few headers it needs become
 * strings.
 */
export function parseResponseHead(raw: Buffer, method: string): ResponseHead | undefined {
  // `HTTP/1.x NNN`, then a reason phrase or nothing.
  if (raw.length < 12 || HTTP_1.compare(raw, 0, 7) !== 0 || raw[8] !== 0x20) return undefined;
  const version = raw[7];
  if ((version !== 0x30 && version !== 0x31) || (raw.length > 12 && raw[12] !== 0x20 && raw[12] !== 0x0d))
    return undefined;
  const status = digit(raw[9]) * 100 + digit(raw[10]) * 10 + digit(raw[11]);
  if (Number.isNaN(status)) return undefined;
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let connection = '';
  const drop: [number, number][] = [];
  for (let start = raw.indexOf(CRLF); start !== -1 && start < raw.length; ) {
    const line = start + 2;
    const next = raw.indexOf(CRLF, line);
    const end = next === -1 ? raw.length : next;
    // Only names starting with c, t, k or x matter (lowercased by setting bit 0x20).
    switch ((raw[line] ?? 0) | 0x20) {
      case 0x63: // c
        if (isHeader(raw, line, end, CONTENT_LENGTH)) {
          const value = headerValue(raw, line, end, CONTENT_LENGTH);
          if (contentLength !== undefined && contentLength !== value) return undefined;
          contentLength = value;
        } else if (isHeader(raw, line, end, CONNECTION))
          connection += `,${headerValue(raw, line, end, CONNECTION).toLowerCase()}`;
        break;
      case 0x74: // t
        if (isHeader(raw, line, end, TRANSFER_ENCODING)) {
          const value = headerValue(raw, line, end, TRANSFER_ENCODING);
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        }
        break;
      case 0x6b: // k
        if (isHeader(raw, line, end, KEEP_ALIVE)) drop.push([start, end]);
        break;
      case 0x78: // x
        if (isHeader(raw, line, end, X_REQUEST_ID)) drop.push([start, end]);
        break;
    }
    start = next;
  }
  const tokens = connection.split(',').map((token) => token.trim());
  const close = version === 0x30 ? !tokens.includes('keep-alive') : tokens.includes('close');
  const framing = responseFraming(status, method, transferEncoding, contentLength);
  if (framing === undefined) return undefined;
  return { status, framing, close: close || framing.kind === 'close', drop };
}

const digit = (byte: number | undefined): number =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : Number.NaN;

/** Whether the line `[line, end)` of `raw` is a `name:` header (`name` lowercase; any case matches). */
function isHeader(raw: Buffer, line: number, end: number, name: Buffer): boolean {
  if (end - line <= name.length || raw[line + name.length] !== 0x3a) return false;
  for (let i = 0; i < name.length; i++) if (((raw[line + i] as number) | 0x20) !== name[i]) return false;
  return true;
}

/** The trimmed value of the header line `[line, end)` named `name`. */
const headerValue = (raw: Buffer, line: number, end: number, name: Buffer): string =>
  raw.toString('latin1', line + name.length + 1, end).trim();

/**
 * The head for the client, from the upstream's (`raw`: its bytes, up to and without the final empty
 * line): without the lines `response.drop` names, with the router's `X-Request-Id`, and `body` (what
 * of the body came in the same read) after it: one buffer, one write.
 */
export function clientHead(raw: Buffer, response: ResponseHead, requestId: string, body?: Buffer): Buffer {
  const added = `\r\nx-request-id: ${requestId}\r\n\r\n`;
  let size = raw.length + added.length + (body?.length ?? 0);
  for (const [start, end] of response.drop) size -= end - start;
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  let from = 0;
  for (const [start, end] of response.drop) {
    at += raw.copy(bytes, at, from, start);
    from = end;
  }
  at += raw.copy(bytes, at, from);
  at += bytes.write(added, at, 'latin1');
  body?.copy(bytes, at);
  return bytes;
}

function responseFraming(
  status: number,
  method: string,
  transferEncoding: string | undefined,
  contentLength: string | undefined,
): ResponseFraming | undefined {
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return { kind: 'none' };
  if (transferEncoding !== undefined)
    return /(?:^|,)\s*chunked\s*$/i.test(transferEncoding) ? { kind: 'chunked' } : { kind: 'close' };
  if (contentLength === undefined) return { kind: 'close' };
  if (!/^\d{1,15}$/.test(contentLength)) return undefined;
  return { kind: 'length', length: Number(contentLength) };
}

/**
 * Finds where a chunked body ends (RFC 9112 §7.1), chunk extensions and trailers included, as its
 * bytes go by: they are relayed as they are, so only the end matters.
 */
export class ChunkedBodyEnd {
  #state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  #left = 0;
  /** The current line, while it spans reads. */
  #line = '';

  /**
   * Scans `bytes` from `start`: how many of them belong to the body, and whether its end is among
   * them. Throws on a malformed body.
   */
  scan(bytes: Buffer, start: number): { used: number; done: boolean } {
    let at = start;
    while (at < bytes.length) {
      if (this.#state === 'data') {
        const take = Math.min(this.#left, bytes.length - at);
        at += take;
        this.#left -= take;
        if (this.#left === 0) this.#state = 'data-end';
        continue;
      }
      const newline = bytes.indexOf(10, at);
      if (newline === -1) {
        this.#line += bytes.toString('latin1', at);
        if (this.#line.length > 8192) throw new Error('chunk line too long');
        return { used: bytes.length - start, done: false };
      }
      const line = this.#line + bytes.toString('latin1', at, newline);
      this.#line = '';
      at = newline + 1;
      if (!line.endsWith('\r')) throw new Error('chunk line without CRLF');
      if (this.#state === 'size') {
        const size = /^([0-9a-fA-F]{1,12})[\t ]*(?:;.*)?\r$/.exec(line);
        if (size === null) throw new Error(`bad chunk size line ${JSON.stringify(line)}`);
        this.#left = Number.parseInt(size[1] as string, 16);
        this.#state = this.#left === 0 ? 'trailer' : 'data';
      } else if (this.#state === 'data-end') {
        if (line !== '\r') throw new Error('chunk data longer than its size');
        this.#state = 'size';
      } else if (line === '\r') {
        this.#state = 'size';
        return { used: at - start, done: true };
      }
    }
    return { used: at - start, done: false };
  }
}
