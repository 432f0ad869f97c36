import { describe, expect, it } from 'vitest';
import { isInside } from './is-inside.js';

describe('isInside', () => {
  it('tells a folder and what lies below it from its parent and siblings', () => {
    expect(isInside('/repo', '/repo')).toBe(true);
    expect(isInside('/repo', '/repo/a/b')).toBe(true);
    expect(isInside('/repo', '/repo/..cache')).toBe(true);
    expect(isInside('/repo', '/')).toBe(false);
    expect(isInside('/repo', '/repo-2/x')).toBe(false);
    expect(isInside('/repo', '/etc/key.pem')).toBe(false);
  });
});
