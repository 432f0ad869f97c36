import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './closest-match.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('up', 'up')).toBe(0);
    expect(editDistance('postgress', 'postgres')).toBe(1);
    expect(editDistance('stauts', 'status')).toBe(1);
    expect(editDistance('redis', 'mysql')).toBe(5);
  });
});

describe('closestMatch', () => {
  it('suggests a plausible typo fix', () => {
    expect(closestMatch('stauts', ['up', 'down', 'status'])).toBe('status');
    expect(closestMatch('depends-on', ['depends_on', 'env'])).toBe('depends_on');
    expect(closestMatch('POSTGRES', ['postgres', 'redis'])).toBe('postgres');
  });

  it('suggests nothing for unrelated input', () => {
    expect(closestMatch('xyz', ['up', 'down', 'status'])).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });
});
