import { describe, expect, it } from 'vitest';
import { accessLine } from './access-line.js';

describe('accessLine', () => {
  const since = Date.UTC(2026, 10, 27, 8, 5, 3, 7);

  it('gives time, id, host, request, status and duration', () => {
    expect(
      accessLine({
        since,
        id: 'abc',
        host: 'api.shop.localhost:7777',
        method: 'GET',
        target: '/x?y=1',
        status: 200,
        ms: 1.26,
      }),
    ).toBe('2026-11-27T08:05:03.007Z abc api.shop.localhost:7777 "GET /x?y=1" 200 1.3ms');
  });

  it('writes - for a missing host, and no duration for an upgrade', () => {
    expect(
      accessLine({ since, id: 'abc', host: undefined, method: 'UPGRADE', target: '/ws', status: 101 }),
    ).toBe('2026-11-27T08:05:03.007Z abc - "UPGRADE /ws" 101');
  });
});
