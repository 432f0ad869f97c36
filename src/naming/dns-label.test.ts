import { describe, expect, it } from 'vitest';
import { isDnsLabel, slugify, truncateSlug } from './dns-label.js';

describe('isDnsLabel', () => {
  it('accepts lowercase labels up to 63 characters', () => {
    expect(isDnsLabel('api')).toBe(true);
    expect(isDnsLabel('web-2')).toBe(true);
    expect(isDnsLabel('a'.repeat(63))).toBe(true);
  });

  it('rejects uppercase, underscores, edge hyphens, empty and long labels', () => {
    for (const bad of ['API', 'my_db', '-db', 'db-', '', 'a'.repeat(64), 'a.b']) {
      expect(isDnsLabel(bad), bad).toBe(false);
    }
  });
});

describe('slugify / truncateSlug', () => {
  it('lowercases and joins words with single hyphens', () => {
    expect(slugify('My_App  (v2)')).toBe('my-app-v2');
  });

  it('never leaves a trailing hyphen after truncation', () => {
    expect(truncateSlug('abc-def', 4)).toBe('abc');
  });
});
