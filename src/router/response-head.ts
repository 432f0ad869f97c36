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

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})[ \r]/;

/**
 * Parses an upstream's response head (`text`: latin1, up to and without its final empty line) to
 * the request made with `method`, or `undefined` when it is not HTTP/1.x (the connection is then
 * broken off). Services run on this machine, so this is lenient where framing is not at stake. It is
 * on every response's path: it looks up the few headers it needs rather than splitting them all.
 */
export function parseResponseHead(text: string, method: string): ResponseHead | undefined {
  const statusLine = STATUS_LINE.exec(text.length === 12 ? `${text}\r` : text.slice(0, 13));
  if (statusLine === null) return undefined;
  const http10 = statusLine[1] === '0';
  const status = Number(statusLine[2]);
  // Header names are case-insensitive; latin1 lowercasing keeps every offset.
  const lower = text.toLowerCase();
  const contentLengths = headerValues(text, lower, 'content-length');
  const contentLength = contentLengths[0];
  if (contentLengths.some((value) => value !== contentLength)) return undefined;
  const transferEncodings = headerValues(text, lower, 'transfer-encoding');
  const tokens = headerValues(lower, lower, 'connection').flatMap((value) => value.split(','));
  const hasToken = (token: string) => tokens.some((value) => value.trim() === token);
  const close = http10 ? !hasToken('keep-alive') : hasToken('close');
  const framing = responseFraming(
    status,
    method,
    transferEncodings.length === 0 ? undefined : transferEncodings.join(', '),
    contentLength,
  );
  if (framing === undefined) return undefined;
  return {
    status,
    framing,
    close: close || framing.kind === 'close',
    drop: headerLines(lower, ['\r\nkeep-alive:', '\r\nx-request-id:']),
  };
}

/**
 * The head for the client, from the upstream's (`raw`: its bytes, up to and without the final empty
 * line): without the lines `response.drop` names, with the router's `X-Request-Id`.
 */
export function clientHead(raw: Buffer, response: ResponseHead, requestId: string): Buffer {
  const added = `\r\nx-request-id: ${requestId}\r\n\r\n`;
  const pieces: Buffer[] = [];
  let at = 0;
  for (const [start, end] of response.drop) {
    pieces.push(raw.subarray(at, start));
    at = end;
  }
  pieces.push(raw.subarray(at), Buffer.from(added, 'latin1'));
  return Buffer.concat(pieces);
}

/** Where the header lines starting with one of `needles` (`\r\n<name>:`, lowercase) are, in order. */
function headerLines(lower: string, needles: readonly string[]): [number, number][] {
  const lines: [number, number][] = [];
  for (const needle of needles) {
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
      const end = lower.indexOf('\r\n', at + needle.length);
      lines.push([at, end === -1 ? lower.length : end]);
    }
  }
  return lines.sort((a, b) => a[0] - b[0]);
}

/** The trimmed values of every `name` header line in `text` (`lower`: it lowercased). */
function headerValues(text: string, lower: string, name: string): string[] {
  const values: string[] = [];
  const needle = `\r\n${name}:`;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    const start = at + needle.length;
    const end = lower.indexOf('\r\n', start);
    values.push(text.slice(start, end === -1 ? undefined : end).trim());
  }
  return values;
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
