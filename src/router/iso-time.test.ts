import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('is toISOString, across milliseconds, seconds and days', () => {
    const start = Date.UTC(2026, 10, 26, 23, 59, 58, 990);
    for (let ms = start; ms < start + 2_100; ms += 7) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(isoTime(start - 86_400_000)).toBe(new Date(start - 86_400_000).toISOString());
  });
});
