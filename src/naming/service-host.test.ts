import { describe, expect, it } from 'vitest';
import { isDnsLabel } from './dns-label.js';
import { branchEnvironmentName } from './environment-name.js';
import { serviceHost, serviceHostLabel, serviceUrl } from './service-host.js';

describe('serviceHost', () => {
  it('is <service>.<project>.localhost for the default environment', () => {
    expect(serviceHost('shop', undefined, 'api')).toBe('api.shop.localhost');
    expect(serviceUrl('shop', undefined, 'api', 7777)).toBe('http://api.shop.localhost:7777');
    expect(serviceUrl('shop', undefined, 'api', 80)).toBe('http://api.shop.localhost');
  });

  it('adds the branch slug, with the hash of the original branch name, after two hyphens', () => {
    expect(serviceHost('shop', 'feature/Login', 'api')).toBe(
      `api--${branchEnvironmentName('feature/Login', 63 - 5)}.shop.localhost`,
    );
    expect(serviceHostLabel('api', 'feature/Login')).toMatch(/^api--feature-login-[0-9a-f]{8}$/);
  });

  it('keeps branches that slug alike apart', () => {
    const labels = ['feature/a', 'feature-a', 'Feature_A', 'feature--a', 'feature a'].map((branch) =>
      serviceHostLabel('api', branch),
    );
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('stays one DNS label of at most 63 characters for long, unicode, slash-filled and empty-after-slug names', () => {
    const branches = [
      `feature/${'x'.repeat(300)}`,
      '日本語のブランチ',
      'ветка/новая',
      '///a//b///',
      '////',
      '-a-',
      'UPPER/Case',
      'a-'.repeat(80),
      '🚀/emoji',
    ];
    for (const service of ['api', 'w', 's'.repeat(40), 'x'.repeat(63)]) {
      for (const branch of branches) {
        const label = serviceHostLabel(service, branch);
        expect(isDnsLabel(label), `${service} @ ${branch}: ${label}`).toBe(true);
      }
    }
  });

  it('does not truncate two long branches, or two long services, into one label', () => {
    const prefix = `feature/${'x'.repeat(100)}`;
    expect(serviceHostLabel('api', `${prefix}-one`)).not.toBe(serviceHostLabel('api', `${prefix}-two`));
    const longService = 's'.repeat(60);
    expect(serviceHostLabel(`${longService}a`, 'main')).not.toBe(serviceHostLabel(`${longService}b`, 'main'));
    expect(serviceHostLabel(longService, 'one')).not.toBe(serviceHostLabel(longService, 'two'));
  });

  it('never lets a branch environment share the default environment’s host', () => {
    expect(serviceHost('shop', 'default', 'api')).not.toBe(serviceHost('shop', undefined, 'api'));
    expect(serviceHost('shop', 'api', 'web')).not.toBe(serviceHost('shop', undefined, 'api'));
  });

  it('is a pure function: the same names give the same host', () => {
    expect(serviceHost('shop', 'feature/x', 'api')).toBe(serviceHost('shop', 'feature/x', 'api'));
  });
});
