import { describe, expect, it } from 'vitest';
import { parseHealthcheck } from './parse-healthcheck.js';

describe('parseHealthcheck', () => {
  it('a string test runs through a shell', () => {
    expect(parseHealthcheck({ test: 'curl -f http://localhost/' })).toEqual({
      ok: true,
      value: { command: 'curl -f http://localhost/' },
    });
  });

  it('CMD is an exact argv, CMD-SHELL a shell line', () => {
    expect(parseHealthcheck({ test: ['CMD', 'redis-cli', 'ping'] })).toEqual({
      ok: true,
      value: { command: ['redis-cli', 'ping'] },
    });
    expect(
      parseHealthcheck({
        test: ['CMD-SHELL', 'pg_isready -U postgres'],
        interval: '5s',
        retries: 5,
        start_period: '1m30s',
      }),
    ).toEqual({
      ok: true,
      value: { command: 'pg_isready -U postgres', intervalMs: 5000, retries: 5, startPeriodMs: 90_000 },
    });
  });

  it('NONE and disable turn it off', () => {
    expect(parseHealthcheck({ test: ['NONE'] })).toEqual({ ok: true, value: undefined });
    expect(parseHealthcheck({ disable: true })).toEqual({ ok: true, value: undefined });
  });

  it('refuses a test without CMD/CMD-SHELL', () => {
    expect(parseHealthcheck({ test: ['curl', 'x'] }).ok).toBe(false);
  });
});
