import { describe, expect, it } from 'vitest';
import { devenvDuration, durationMs } from './compose-durations.js';

describe('durations', () => {
  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['500ms', 500],
    ['2h', 7_200_000],
  ])('%s is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('refuses what Go would not read', () => {
    expect(durationMs('10 seconds')).toBeUndefined();
  });

  it('writes whole seconds, else milliseconds', () => {
    expect(devenvDuration(5000)).toBe('5s');
    expect(devenvDuration(1500)).toBe('1500ms');
  });
});
