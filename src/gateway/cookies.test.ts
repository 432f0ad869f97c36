import { describe, expect, it } from 'vitest';
import { ACCESS_COOKIE, accessCookie, parseCookies, withoutCookie } from './cookies.js';

describe('cookies', () => {
  it('parses a Cookie header, first of a name wins, quotes removed', () => {
    const cookies = parseCookies(`a=1; ${ACCESS_COOKIE}="x.y"; b = 2; a=3; junk; =4`);
    expect([...cookies]).toEqual([
      ['a', '1'],
      [ACCESS_COOKIE, 'x.y'],
      ['b', '2'],
    ]);
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('removes only the gateway cookie before forwarding', () => {
    expect(withoutCookie(`a=1; ${ACCESS_COOKIE}=t; b=2`, ACCESS_COOKIE)).toBe('a=1; b=2');
    expect(withoutCookie(`${ACCESS_COOKIE}=t`, ACCESS_COOKIE)).toBeUndefined();
    expect(withoutCookie(`${ACCESS_COOKIE}x=t`, ACCESS_COOKIE)).toBe(`${ACCESS_COOKIE}x=t`);
    expect(withoutCookie(undefined, ACCESS_COOKIE)).toBeUndefined();
  });

  it('sets a host-only, HttpOnly, SameSite=Lax cookie', () => {
    const cookie = accessCookie('v', 3600.7, false);
    expect(cookie).toBe(`${ACCESS_COOKIE}=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax`);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(accessCookie('v', 1, true)).toMatch(/; Secure$/);
  });
});
