import { createHash } from 'node:crypto';
import { basicCredentialsOf, verifyBasicCredentials } from '../preview/basic-auth.js';

/** Checks an `Authorization` header value against a record's basic-auth hash. */
export type BasicCheck = (stored: string, authorization: string) => boolean;

export interface BasicAuthCacheOptions {
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Failed checks per preview within `windowMs` after which new credentials are refused unchecked. */
  maxFailures?: number;
  windowMs?: number;
}

/** Previews (hashes) remembered; the oldest is forgotten past this, so memory stays bounded. */
const MAX_PREVIEWS = 1_000;
/** Distinct header values remembered per preview (one per set of valid credentials, normally one). */
const MAX_VALUES = 16;

/**
 * The gateway's basic-auth check, with memory: scrypt costs tens of milliseconds of the (single)
 * event loop by design, so a header value that verified once is remembered per preview and passes
 * afterwards on a cheap digest comparison; a browser sends the same value with every request.
 *
 * Entries are keyed by the record's stored hash, which changes (new salt) when the credentials do, so
 * a changed password is never answered from memory. Only SHA-256 digests of header values are kept,
 * not the credentials. Failures are counted per preview: past `maxFailures` in `windowMs`, unknown
 * credentials are refused without running scrypt, so guessing cannot stall the gateway (credentials
 * already verified keep working meanwhile).
 */
export function basicAuthCache(options: BasicAuthCacheOptions): BasicCheck {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 10_000;
  const verified = new Map<string, Set<string>>();
  const failures = new Map<string, number[]>();

  return (stored, authorization) => {
    const credentials = basicCredentialsOf(authorization);
    // Another scheme (the app's own Bearer token) is no guess at the preview's password.
    if (credentials === undefined) return false;
    const digest = createHash('sha256').update(authorization).digest('base64url');
    if (verified.get(stored)?.has(digest) === true) return true;
    const now = options.now();
    const recent = (failures.get(stored) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= maxFailures) {
      failures.set(stored, recent);
      return false;
    }
    if (verifyBasicCredentials(stored, credentials)) {
      const values = verified.get(stored) ?? new Set<string>();
      if (values.size >= MAX_VALUES) values.clear();
      values.add(digest);
      remember(verified, stored, values);
      return true;
    }
    recent.push(now);
    remember(failures, stored, recent);
    return false;
  };
}

/** Sets `key` as the newest entry, dropping the oldest past MAX_PREVIEWS. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_PREVIEWS) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
