import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring access tokens for a private preview: `<payload>.<signature>`, both base64url, the
 * signature an HMAC-SHA256 of the payload text with the preview's secret. The payload names the
 * preview, the expiry and the token's purpose, so a share token cannot pass for a cookie (or the
 * other way round) and a token of one preview opens no other.
 */
export type TokenPurpose = 'share' | 'cookie';

export interface TokenClaims {
  /** The preview id the token opens. */
  preview: string;
  /** When it stops opening it. */
  expires: Date;
  purpose: TokenPurpose;
}

export type TokenCheck =
  | { ok: true; expires: Date }
  /** `invalid`: malformed, forged, or for another preview or purpose; `expired`: genuine but too old. */
  | { ok: false; reason: 'invalid' | 'expired' };

interface Payload {
  v: 1;
  k: TokenPurpose;
  p: string;
  /** Expiry, seconds since the epoch. */
  e: number;
}

export function signToken(secret: string, claims: TokenClaims): string {
  const payload: Payload = {
    v: 1,
    k: claims.purpose,
    p: claims.preview,
    e: Math.floor(claims.expires.getTime() / 1000),
  };
  const text = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${text}.${mac(secret, text).toString('base64url')}`;
}

/** Checks the signature first, then the preview and purpose, then the expiry against `now`. */
export function verifyToken(
  secret: string,
  token: string,
  expected: { preview: string; purpose: TokenPurpose },
  now: Date,
): TokenCheck {
  const invalid: TokenCheck = { ok: false, reason: 'invalid' };
  const [text, signature, ...rest] = token.split('.');
  if (text === undefined || signature === undefined || rest.length > 0 || text === '') return invalid;
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(secret, text);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return invalid;
  const payload = parsePayload(text);
  if (payload === undefined || payload.p !== expected.preview || payload.k !== expected.purpose)
    return invalid;
  if (payload.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, expires: new Date(payload.e * 1000) };
}

function mac(secret: string, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

function parsePayload(text: string): Payload | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { v, k, p, e } = value as Record<string, unknown>;
    if (v !== 1 || (k !== 'share' && k !== 'cookie') || typeof p !== 'string' || typeof e !== 'number')
      return undefined;
    return { v, k, p, e };
  } catch {
    // Signed by us yet unreadable cannot happen; treat it as any other invalid token.
    return undefined;
  }
}
