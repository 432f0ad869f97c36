import { describe, expect, it } from 'vitest';
import { isDnsLabel } from './dns-label.js';
import { branchEnvironmentName, environmentName } from './environment-name.js';

describe('environmentName', () => {
  it('is `default` without a branch', () => {
    expect(environmentName(undefined)).toBe('default');
  });

  it('slugs the branch and appends a hash of the original name', () => {
    expect(environmentName('feature/Login-Page')).toMatch(/^feature-login-page-[0-9a-f]{8}$/);
  });

  it('keeps branches that slug alike apart', () => {
    const names = ['feature/a', 'feature-a', 'Feature_A', 'feature--a'].map((b) => branchEnvironmentName(b));
    expect(new Set(names).size).toBe(4);
  });

  it('never lets a branch called `default` shadow the default environment', () => {
    expect(environmentName('default')).not.toBe('default');
  });

  it('stays a DNS label for long, odd and empty-after-slug names', () => {
    const long = `feature/${'x'.repeat(200)}`;
    for (const branch of [long, '日本語', '///', '-a-', 'UPPER', `${'a-'.repeat(40)}`]) {
      const name = branchEnvironmentName(branch);
      expect(isDnsLabel(name), name).toBe(true);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  it('does not truncate two long branches into one name', () => {
    const prefix = `feature/${'x'.repeat(100)}`;
    expect(branchEnvironmentName(`${prefix}-one`)).not.toBe(branchEnvironmentName(`${prefix}-two`));
  });

  it('honours a smaller budget', () => {
    const name = branchEnvironmentName('feature/some-long-branch-name', 20);
    expect(name.length).toBeLessThanOrEqual(20);
    expect(isDnsLabel(name)).toBe(true);
  });
});
