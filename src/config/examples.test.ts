import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from './load-environment.js';
import { noSecrets } from './secret-resolver.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

describe('examples', () => {
  it('quickstart: one service with Postgres and Redis, wired by references', () => {
    const { environment } = loadEnvironment({
      cwd: `${examples}quickstart`,
      environment: {},
      resolveSecret: noSecrets,
    });
    expect(environment.dependencies.map((d) => d.image)).toEqual(['postgres:17', 'redis:8']);
    const api = environment.services[0];
    expect(api?.runtime.kind).toBe('process');
    expect(api?.env.values.DATABASE_URL).toMatch(/^postgres:\/\/devenv:devenv@127\.0\.0\.1:\d+\/app$/);
    expect(api?.env.values.REDIS_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(api?.env.values.PORT).toBe('3000');
  });

  it('shop: api, web, worker and a migration over three dependencies, with profiles and previews', () => {
    const environment = { STRIPE_TEST_KEY: 'sk_test_x' };
    const local = loadEnvironment({
      cwd: `${examples}shop`,
      environment,
      resolveSecret: noSecrets,
    }).environment;
    expect(local.startOrder).toEqual(['db', 'cache', 'mail', 'migrate', 'api', 'web']);
    const api = local.services.find((s) => s.name === 'api');
    expect(api?.env.values.DATABASE_URL).toBe('postgres://devenv:devenv@db:5432/shop');
    expect(api?.env.secretKeys).toEqual(['STRIPE_KEY']);

    const preview = loadEnvironment({
      cwd: `${examples}shop`,
      environment,
      branch: 'feature/checkout',
      preview: true,
      resolveSecret: () => ({ ok: true, value: 'shop:pw' }),
    }).environment;
    expect(preview.services.map((s) => s.name)).toContain('worker');
    expect(preview.preview).toMatchObject({ access: 'basic', basicAuth: 'shop:pw', ttlMs: 48 * 3_600_000 });
  });
});
