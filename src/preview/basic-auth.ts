import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * HTTP basic credentials for `access: basic` previews. `preview up` stores only a salted scrypt hash
 * of `user:password` in the record (labels are readable by anyone who can list the engine's volumes);
 * the gateway derives the same hash from an `Authorization: Basic …` header and compares.
 *
 * Format: `scrypt$<salt base64url>$<hash base64url>`, scrypt with Node's defaults (N=16384, r=8, p=1).
 */

const SCHEME = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** The record's form of `credentials` (`user:password`): a fresh salt each call. */
export function hashBasicCredentials(credentials: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const hash = scryptSync(credentials, salt, KEY_BYTES);
  return `${SCHEME}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Whether `credentials` (`user:password`) match a stored hash; `false` for a malformed one. */
export function verifyBasicCredentials(stored: string, credentials: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 3 || parts[0] !== SCHEME) return false;
  const salt = Buffer.from(parts[1] ?? '', 'base64url');
  const expected = Buffer.from(parts[2] ?? '', 'base64url');
  // A truncated label must not turn into a shorter (weaker, or empty) comparison.
  if (salt.length === 0 || expected.length !== KEY_BYTES) return false;
  return timingSafeEqual(scryptSync(credentials, salt, KEY_BYTES), expected);
}

/** Whether a stored value has the shape `hashBasicCredentials` writes. */
export function isBasicCredentialsHash(stored: string): boolean {
  return /^scrypt\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/.test(stored);
}

/**
 * The `user:password` of an `Authorization: Basic <base64>` header value, `undefined` for another
 * scheme or a value that is not base64 of a `user:password` pair.
 */
export function basicCredentialsOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.includes(':') ? decoded : undefined;
}
