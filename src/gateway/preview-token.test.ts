import { describe, expect, it } from 'vitest';
import { FakeClock } from '../util/fake-clock.js';
import { signToken, verifyToken } from './preview-token.js';

const secret = 's3cret-s3cret-s3cret';
const preview = 'feat-x-1a2b3c4d.shop';

describe('preview tokens', () => {
  it('verify until they expire, then say expired (not invalid)', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const token = signToken(secret, { preview, expires: new Date(clock.now() + 60_000), purpose: 'share' });
    const check = () => verifyToken(secret, token, { preview, purpose: 'share' }, new Date(clock.now()));
    expect(check()).toEqual({ ok: true, expires: new Date(clock.now() + 60_000) });
    await clock.advance(59_000);
    expect(check().ok).toBe(true);
    await clock.advance(1_000);
    expect(check()).toEqual({ ok: false, reason: 'expired' });
  });

  it('are invalid when forged, altered, for another preview or another purpose', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const expires = new Date('2026-01-02T00:00:00Z');
    const token = signToken(secret, { preview, expires, purpose: 'share' });
    const [payload, signature] = token.split('.') as [string, string];
    const longer = Buffer.from(
      JSON.stringify({ v: 1, k: 'share', p: preview, e: Math.floor(expires.getTime() / 1000) + 86_400 }),
    ).toString('base64url');
    const cases = [
      signToken('another secret', { preview, expires, purpose: 'share' }),
      `${longer}.${signature}`,
      `${payload}.${signature.slice(0, -2)}`,
      `${payload}`,
      '',
      'a.b.c',
      signToken(secret, { preview, expires, purpose: 'cookie' }),
    ];
    for (const forged of cases)
      expect(verifyToken(secret, forged, { preview, purpose: 'share' }, now)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    expect(verifyToken(secret, token, { preview: 'main-0000.shop', purpose: 'share' }, now).ok).toBe(false);
  });

  it('judge a forged expired token invalid: the signature is checked before the expiry', () => {
    const token = signToken('other', { preview, expires: new Date(0), purpose: 'share' });
    expect(verifyToken(secret, token, { preview, purpose: 'share' }, new Date()).ok).toBe(false);
    expect(verifyToken(secret, token, { preview, purpose: 'share' }, new Date())).toMatchObject({
      reason: 'invalid',
    });
  });
});
