import { describe, expect, it } from 'vitest';
import { hashBasicCredentials } from '../preview/basic-auth.js';
import { basicAuthCache } from './basic-auth-cache.js';

const basic = (credentials: string, scheme = 'Basic'): string =>
  `${scheme} ${Buffer.from(credentials).toString('base64')}`;

describe('basicAuthCache', () => {
  it('remembers verified headers per hash, and refuses unchecked past the failure budget', () => {
    let now = 0;
    const check = basicAuthCache({ now: () => now, maxFailures: 2, windowMs: 1_000 });
    const stored = hashBasicCredentials('shop:right');
    expect(check(stored, basic('shop:right'))).toBe(true);
    expect(check(stored, basic('shop:wrong'))).toBe(false);
    expect(check(stored, basic('shop:wrong2'))).toBe(false);
    // Budget spent: even right credentials in a header not seen before are refused without scrypt…
    expect(check(stored, basic('shop:right', 'basic'))).toBe(false);
    // …while the verified header passes from memory (no scrypt: it would be refused otherwise).
    expect(check(stored, basic('shop:right'))).toBe(true);
    now = 1_000;
    expect(check(stored, basic('shop:right', 'basic'))).toBe(true);
  });

  it('does not answer a new hash (changed password) from memory, nor count other schemes', () => {
    const check = basicAuthCache({ now: () => 0, maxFailures: 1 });
    const old = hashBasicCredentials('shop:old');
    expect(check(old, basic('shop:old'))).toBe(true);
    const changed = hashBasicCredentials('shop:new');
    expect(check(changed, 'Bearer abc')).toBe(false);
    // The Bearer header spent none of the budget of one failure.
    expect(check(changed, basic('shop:new'))).toBe(true);
    expect(check(changed, basic('shop:old'))).toBe(false);
    expect(check(old, basic('shop:old'))).toBe(true);
  });
});
