import { Buffer } from 'node:buffer';

// Reading HTTP heads as bytes, for both directions of the fast lane (request-head.ts,
// response-head.ts): plain loops, since a call into C++ costs more than scanning a header line.

export const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09;

/** Whether `[from, to)` of `raw` is `lowercase` in any case (a header name, a `Connection` option). */
export function isName(raw: Buffer, from: number, to: number, lowercase: Buffer): boolean {
  if (to - from !== lowercase.length) return false;
  for (let i = 0; i < lowercase.length; i++)
    if (((raw[from + i] as number) | 0x20) !== lowercase[i]) return false;
  return true;
}

/** The number in `[from, to)` of `raw`, spaces around it allowed, or NaN if it is not 1–15 digits. */
export function digits(raw: Buffer, from: number, to: number): number {
  let start = from;
  let stop = to;
  while (start < stop && isSpace(raw[start])) start++;
  while (stop > start && isSpace(raw[stop - 1])) stop--;
  if (stop === start || stop - start > 15) return Number.NaN;
  let value = 0;
  for (let i = start; i < stop; i++) {
    const byte = raw[i] as number;
    if (byte < 0x30 || byte > 0x39) return Number.NaN;
    value = value * 10 + byte - 0x30;
  }
  return value;
}

/** `Connection` options (RFC 9110 §7.6.1), as bits. */
export const OPTION_CLOSE = 1;
export const OPTION_KEEP_ALIVE = 2;
export const OPTION_UPGRADE = 4;
/** Any other option: it names a header, which is then hop-by-hop too. */
export const OPTION_OTHER = 8;
const CLOSE = Buffer.from('close');
const KEEP_ALIVE = Buffer.from('keep-alive');
const UPGRADE = Buffer.from('upgrade');

/** The options among the comma-separated ones of a `Connection` value, `[from, to)` of `raw`. */
export function connectionOptions(raw: Buffer, from: number, to: number): number {
  let options = 0;
  for (let at = from; at < to; ) {
    while (at < to && (isSpace(raw[at]) || raw[at] === 0x2c)) at++;
    let next = at;
    while (next < to && raw[next] !== 0x2c) next++;
    let stop = next;
    while (stop > at && isSpace(raw[stop - 1])) stop--;
    if (isName(raw, at, stop, CLOSE)) options |= OPTION_CLOSE;
    else if (isName(raw, at, stop, KEEP_ALIVE)) options |= OPTION_KEEP_ALIVE;
    else if (isName(raw, at, stop, UPGRADE)) options |= OPTION_UPGRADE;
    else if (stop > at) options |= OPTION_OTHER;
    at = next;
  }
  return options;
}
