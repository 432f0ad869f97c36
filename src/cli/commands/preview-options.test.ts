import { describe, expect, it } from 'vitest';
import { ttlMs } from './preview-options.js';

describe('ttlMs', () => {
  it('reads a duration, or falls back to the file’s', () => {
    expect(ttlMs('2h', 1)).toBe(7_200_000);
    expect(ttlMs(undefined, 42)).toBe(42);
  });

  it('refuses what is not a duration, zero, and more than a year, as usage errors', () => {
    expect(() => ttlMs('soon', 1)).toThrow(expect.objectContaining({ code: 'BAD_DURATION' }));
    expect(() => ttlMs('0h', 1)).toThrow(expect.objectContaining({ code: 'BAD_DURATION' }));
    expect(() => ttlMs('366d', 1)).toThrow(/longer than a preview may live/);
    expect(ttlMs('365d', 1)).toBe(365 * 86_400_000);
  });
});
