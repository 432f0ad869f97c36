import { describe, expect, it } from 'vitest';
import { parseSince } from './parse-since.js';

const now = new Date('2026-11-27T12:00:00Z');

describe('parseSince', () => {
  it('reads a duration back from now, or an ISO time', () => {
    expect(parseSince('10m', now).toISOString()).toBe('2026-11-27T11:50:00.000Z');
    expect(parseSince('2026-11-27T08:00:00Z', now).toISOString()).toBe('2026-11-27T08:00:00.000Z');
  });

  it('refuses a bare number (not the year 2001) and other text, as a usage error', () => {
    for (const value of ['10', 'yesterday', '10 minutes']) {
      expect(() => parseSince(value, now)).toThrow(expect.objectContaining({ code: 'BAD_SINCE' }));
    }
  });
});
