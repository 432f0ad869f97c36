import { describe, expect, it } from 'vitest';
import { CrashTracker } from './crash-tracker.js';

describe('CrashTracker', () => {
  it('doubles the delay per consecutive crash up to the maximum', () => {
    const tracker = new CrashTracker({ maxMs: 1_000 });
    const delays = [0, 1, 2, 3, 4, 5].map((i) => tracker.record(i * 100, 10).delayMs);
    expect(delays).toEqual([250, 500, 1000, 1000, 1000, 1000]);
  });

  it('calls three crashes within the window a crash loop, and forgets old ones', () => {
    const tracker = new CrashTracker({ crashLoopWindowMs: 60_000 });
    expect(tracker.record(0, 10).crashLoop).toBe(false);
    expect(tracker.record(1_000, 10).crashLoop).toBe(false);
    expect(tracker.record(2_000, 10)).toMatchObject({ crashLoop: true, recent: 3, consecutive: 3 });
    expect(tracker.record(61_500, 10)).toMatchObject({ crashLoop: false, recent: 2 });
    expect(tracker.record(200_000, 10)).toMatchObject({ crashLoop: false, recent: 1, consecutive: 5 });
  });

  it('starts over after a run that stayed up long enough', () => {
    const tracker = new CrashTracker({ resetAfterMs: 10_000 });
    tracker.record(0, 10);
    tracker.record(1, 10);
    expect(tracker.record(20_000, 10_000)).toMatchObject({ delayMs: 250, consecutive: 1, recent: 1 });
  });
});
