import { Buffer } from 'node:buffer';

/** `[from, to)` byte ranges of a message head, in order. */
export type Ranges = readonly (readonly [number, number])[];

/**
 * `raw[0, end)` without the `drop` ranges, then `tail`, then `after` when given: one new buffer, so the
 * message leaves in one write. Both proxy directions rewrite heads this way (request-head.ts,
 * response-head.ts): the bytes as received, a few header lines cut out, a few appended.
 */
export function joinWithout(raw: Buffer, end: number, drop: Ranges, tail: Buffer, after?: Buffer): Buffer {
  let size = end + tail.length + (after === undefined ? 0 : after.length);
  for (let i = 0; i < drop.length; i++) {
    const range = drop[i] as readonly [number, number];
    size -= range[1] - range[0];
  }
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  let from = 0;
  for (let i = 0; i < drop.length; i++) {
    const range = drop[i] as readonly [number, number];
    at += raw.copy(bytes, at, from, range[0]);
    from = range[1];
  }
  at += raw.copy(bytes, at, from, end);
  at += tail.copy(bytes, at);
  if (after !== undefined) after.copy(bytes, at);
  return bytes;
}
