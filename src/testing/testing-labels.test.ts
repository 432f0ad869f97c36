import { describe, expect, it } from 'vitest';
import { formatOwner, parseOwner } from './testing-labels.js';

describe('owner labels', () => {
  it('round-trip host, pid and start time', () => {
    const owner = formatOwner('ci-box', { pid: 4242, started: '987654' });
    expect(owner).toBe('ci-box 4242 987654');
    expect(parseOwner(owner)).toEqual({ hostname: 'ci-box', identity: { pid: 4242, started: '987654' } });
  });

  it('ignore what they did not write', () => {
    expect(parseOwner('nonsense')).toBeUndefined();
    expect(parseOwner('box notapid')).toBeUndefined();
  });
});
