import { Buffer } from 'node:buffer';
import { connectionOptions, digits, isName, OPTION_CLOSE, OPTION_KEEP_ALIVE } from './head-bytes.js';
import { joinWithout, type Ranges } from './join-without.js';

/**
 * How the body of a response ends (RFC 9112 §6.3), which is all the fast lane needs to know of it:
 * nothing follows the head (`none`), `length` bytes, a chunked body, or whatever comes until the
 * upstream closes the connection (`close`). One shape for all kinds (`length` is 0 but for `length`):
 * the fast lane reads `kind` on every read, and one shape keeps that read monomorphic.
 */
export interface ResponseFraming {
  kind: 'none' | 'length' | 'chunked' | 'close';
  /** Bytes of body still to come, for `length`. */
  length: number;
}

const framing = (kind: ResponseFraming['kind'], length = 0): ResponseFraming => ({ kind, length });

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
  drop: Ranges;
}

const CONTENT_LENGTH = Buffer.from('content-length');
const CONNECTION = Buffer.from('connection');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding');
const KEEP_ALIVE = Buffer.from('keep-alive');
const X_REQUEST_ID = Buffer.from('x-request-id');
const NO_DROP: Ranges = [];

/**
 * Parses an upstream's response head (`raw[0, headEnd)`: its bytes, without the final empty line) to
 * the request made with `method`, or `undefined` when it is not HTTP/1.x (the connection is then
 * broken off). Services run on this machine, so this is lenient where framing is not at stake. It is
 * on every response's path, so it reads bytes in plain loops (a call into C++, as `Buffer#indexOf`,
 * costs more than scanning a header line): only `Transfer-Encoding`'s value becomes a string.
 */
export function parseResponseHead(
  raw: Buffer,
  method: string,
  headEnd = raw.length,
): ResponseHead | undefined {
  // `HTTP/1.x NNN`, then a reason phrase or nothing.
  if (
    headEnd < 12 ||
    raw[0] !== 0x48 ||
    raw[1] !== 0x54 ||
    raw[2] !== 0x54 ||
    raw[3] !== 0x50 ||
    raw[4] !== 0x2f ||
    raw[5] !== 0x31 ||
    raw[6] !== 0x2e ||
    raw[8] !== 0x20
  )
    return undefined;
  const version = raw[7];
  if ((version !== 0x30 && version !== 0x31) || (headEnd > 12 && raw[12] !== 0x20 && raw[12] !== 0x0d))
    return undefined;
  const status = digit(raw[9]) * 100 + digit(raw[10]) * 10 + digit(raw[11]);
  if (Number.isNaN(status)) return undefined;
  /** -1: none; NaN: not a valid length. */
  let contentLength = -1;
  let transferEncoding: string | undefined;
  let options = 0;
  let drop: [number, number][] | undefined;
  for (let start = lineEnd(raw, 12, headEnd); start < headEnd; ) {
    const line = start + 2;
    const end = lineEnd(raw, line, headEnd);
    let dropped = false;
    // Only names starting with c, t, k or x matter (lowercased by setting bit 0x20).
    switch ((raw[line] ?? 0) | 0x20) {
      case 0x63: // c
        if (isHeader(raw, line, end, CONTENT_LENGTH)) {
          const value = digits(raw, line + CONTENT_LENGTH.length + 1, end);
          // Two different lengths (or a broken one twice): no framing to trust.
          if (contentLength !== -1 && value !== contentLength) return undefined;
          contentLength = value;
        } else if (isHeader(raw, line, end, CONNECTION))
          options |= connectionOptions(raw, line + CONNECTION.length + 1, end);
        break;
      case 0x74: // t
        if (isHeader(raw, line, end, TRANSFER_ENCODING)) {
          const value = raw.toString('latin1', line + TRANSFER_ENCODING.length + 1, end).trim();
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        }
        break;
      case 0x6b: // k
        dropped = isHeader(raw, line, end, KEEP_ALIVE);
        break;
      case 0x78: // x
        dropped = isHeader(raw, line, end, X_REQUEST_ID);
        break;
    }
    if (dropped) {
      drop ??= [];
      drop.push([start, end]);
    }
    start = end;
  }
  const close = version === 0x30 ? (options & OPTION_KEEP_ALIVE) === 0 : (options & OPTION_CLOSE) !== 0;
  const bodyFraming = responseFraming(status, method, transferEncoding, contentLength);
  if (bodyFraming === undefined) return undefined;
  return {
    status,
    framing: bodyFraming,
    close: close || bodyFraming.kind === 'close',
    drop: drop ?? NO_DROP,
  };
}

const digit = (byte: number | undefined): number =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : Number.NaN;

/** Where the line starting at `from` ends: its CRLF, or the end of the head. */
function lineEnd(raw: Buffer, from: number, headEnd: number): number {
  for (let i = from; i < headEnd - 1; i++) if (raw[i] === 0x0d && raw[i + 1] === 0x0a) return i;
  return headEnd;
}

/** Whether the line `[line, end)` of `raw` is a `name:` header (`name` lowercase; any case matches). */
function isHeader(raw: Buffer, line: number, end: number, name: Buffer): boolean {
  return (
    end - line > name.length &&
    raw[line + name.length] === 0x3a &&
    isName(raw, line, line + name.length, name)
  );
}

/**
 * The head for the client, from the upstream's (`raw[0, headEnd)`: its bytes, without the final empty
 * line): without the lines `response.drop` names, then `idLine` (the router's `X-Request-Id`, CRLF
 * first, and the empty line: `requestIdLine`), then `body` (what of the body came in the same read):
 * one buffer, one write.
 */
export const clientHead = (
  raw: Buffer,
  headEnd: number,
  response: ResponseHead,
  idLine: Buffer,
  body?: Buffer,
): Buffer => joinWithout(raw, headEnd, response.drop, idLine, body);

function responseFraming(
  status: number,
  method: string,
  transferEncoding: string | undefined,
  contentLength: number,
): ResponseFraming | undefined {
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return framing('none');
  if (transferEncoding !== undefined)
    return /(?:^|,)\s*chunked\s*$/i.test(transferEncoding) ? framing('chunked') : framing('close');
  if (contentLength === -1) return framing('close');
  if (Number.isNaN(contentLength)) return undefined;
  return framing('length', contentLength);
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
