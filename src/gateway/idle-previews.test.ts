import { describe, expect, it } from 'vitest';
import { gatewayPreviews } from './gateway-previews.js';
import { recordVolume, serviceContainer, testRecord } from './gateway-test-fixtures.js';
import { idlePreviews } from './idle-previews.js';

describe('idlePreviews', () => {
  it('picks ready previews with idle sleep on and no request for that long', () => {
    const sleepy = testRecord('shop', 'a', { idleSleepMinutes: 5 });
    const awake = testRecord('shop', 'b');
    const previews = gatewayPreviews({
      records: [recordVolume(sleepy), recordVolume(awake)],
      containers: [serviceContainer(sleepy, 'web'), serviceContainer(awake, 'web')],
      now: new Date('2026-01-02T00:00:00Z'),
      sleeping: new Set(),
      waking: new Set(),
      lastLines: new Map(),
      answered: { has: () => true },
    });
    const last = new Map([
      [sleepy.id, 0],
      [awake.id, 0],
    ]);
    expect(idlePreviews(previews, last, 4 * 60_000)).toEqual([]);
    expect(idlePreviews(previews, last, 5 * 60_000).map((p) => p.record.id)).toEqual([sleepy.id]);
    expect(idlePreviews(previews, new Map(), 60 * 60_000)).toEqual([]);
  });
});
