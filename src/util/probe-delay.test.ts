import { describe, expect, it } from 'vitest';
import { probeDelay } from './probe-delay.js';

describe('probeDelay', () => {
  it('starts fast and backs off to the configured interval', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => probeDelay(attempt, 1000))).toEqual([
      50, 100, 200, 400, 800, 1000, 1000,
    ]);
    expect(probeDelay(0, 20)).toBe(20);
    expect([0, 1, 2, 3].map((attempt) => probeDelay(attempt, 1000, 10, 1.5))).toEqual([10, 15, 23, 34]);
  });
});
