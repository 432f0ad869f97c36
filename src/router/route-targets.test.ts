import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { emptySnapshot } from '../supervisor/environment-snapshot.js';
import { routeTargets } from './route-targets.js';
import { serviceUrlEnv } from './service-url-env.js';

const yaml = `name: shop
services:
  api:
    run: node api.js
    port: 3001
  web:
    run: node web.js
    port: 3002
    env: { API_URL: "http://localhost:3001/v2" }
  worker:
    run: node worker.js
`;

function resolve(branch?: string): ResolvedEnvironment {
  const { environment, problems } = resolveText(yaml, branch === undefined ? {} : { branch });
  if (environment === undefined) throw new Error(problems.join('\n'));
  return environment;
}

describe('routeTargets', () => {
  it('publishes every service with a port, in its snapshot state (pending before it has one)', () => {
    const environment = resolve();
    const snapshot = {
      ...emptySnapshot('shop', 'default'),
      resources: [
        {
          name: 'api',
          kind: 'service' as const,
          state: 'crashed' as const,
          detail: 'exited with code 1',
          lastLines: ['boom'],
          ports: [],
          restarts: 0,
          since: 0,
        },
      ],
    };
    expect(routeTargets(environment, snapshot)).toEqual([
      {
        service: 'api',
        host: 'api.shop.localhost',
        port: 3001,
        state: 'crashed',
        detail: 'exited with code 1',
        lastLines: ['boom'],
      },
      { service: 'web', host: 'web.shop.localhost', port: 3002, state: 'pending' },
    ]);
  });

  it('uses the branch hosts for a branch environment', () => {
    const environment = resolve('feature/x');
    const [api] = routeTargets(environment, emptySnapshot('shop', environment.env));
    expect(api?.host).toMatch(/^api--feature-x-[0-9a-f]{8}\.shop\.localhost$/);
  });
});

describe('serviceUrlEnv', () => {
  it('gives a service its own URL and its peers’ direct addresses, under what its env sets', () => {
    const environment = resolve();
    expect(serviceUrlEnv(environment, 'api', 7777)).toEqual({
      DEVENV_URL: 'http://api.shop.localhost:7777',
      WEB_URL: 'http://127.0.0.1:3002',
    });
    expect(serviceUrlEnv(environment, 'web', 7777)).toEqual({ DEVENV_URL: 'http://web.shop.localhost:7777' });
    expect(serviceUrlEnv(environment, 'worker', 7777)).toEqual({
      API_URL: 'http://127.0.0.1:3001',
      WEB_URL: 'http://127.0.0.1:3002',
    });
  });
});
