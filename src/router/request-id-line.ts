import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

/**
 * The router's `X-Request-Id` header line, CRLF first and the head's empty line after it, as bytes:
 * `\r\nx-request-id: <id>\r\n\r\n`. The fast lane ends both the upstream's head and the client's
 * answer with it, so the id is made as bytes once and becomes a string only for the access log.
 */
const PREFIX_TEXT = '\r\nx-request-id: ';
const SUFFIX_TEXT = '\r\n\r\n';
const PREFIX = Buffer.from(PREFIX_TEXT, 'latin1');
const SUFFIX = Buffer.from(SUFFIX_TEXT, 'latin1');
const UUID_LENGTH = 36;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Random bytes for ids, 16 each, refilled when used up: one call into the system per 256 ids. */
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

/** A new id line with a random (version 4) UUID, as `crypto.randomUUID` makes them. */
export function newRequestIdLine(): Buffer {
  if (used + 16 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const line = Buffer.allocUnsafe(PREFIX.length + UUID_LENGTH + SUFFIX.length);
  PREFIX.copy(line, 0);
  let at = PREFIX.length;
  for (let i = 0; i < 16; i++) {
    let byte = pool[used + i] as number;
    if (i === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 9562 variant
    line[at++] = HEX[byte >> 4] as number;
    line[at++] = HEX[byte & 0x0f] as number;
    if (i === 3 || i === 5 || i === 7 || i === 9) line[at++] = 0x2d; // -
  }
  used += 16;
  SUFFIX.copy(line, at);
  return line;
}

/** The id line of an id the client chose. */
export const requestIdLine = (id: string): Buffer =>
  Buffer.from(`${PREFIX_TEXT}${id}${SUFFIX_TEXT}`, 'latin1');

/** The id in an id line. */
export const idOfLine = (line: Buffer): string =>
  line.toString('latin1', PREFIX.length, line.length - SUFFIX.length);
