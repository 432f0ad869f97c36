import { createHash } from 'node:crypto';

/** The first `length` hex characters of SHA-256: stable across machines and Node versions. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
