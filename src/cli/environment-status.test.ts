import { describe, expect, it } from 'vitest';
import type { ObservedContainer } from '../runtime/observed-state.js';
import { emptySnapshot } from '../supervisor/environment-snapshot.js';
import { statusOfWhatRuns } from './environment-status.js';

const container = (name: string): ObservedContainer => ({
  id: `${name}-id`,
  name: `shop-default-${name}`,
  image: 'redis:8',
  imageId: 'sha256:1',
  labels: { 'devenv.project': 'shop', 'devenv.env': 'default', 'devenv.name': name },
  state: 'running',
  health: 'none',
  exitCode: undefined,
  ports: [{ container: 6379, host: 26379, hostIp: '127.0.0.1', protocol: 'tcp' }],
  createdAt: new Date(0),
  startedAt: new Date(0),
});

describe('statusOfWhatRuns (devenv.yaml unusable)', () => {
  it('reports what the supervisor tracks, then containers it does not, each with what is known', () => {
    const snapshot = {
      ...emptySnapshot('shop', 'default'),
      state: 'ready' as const,
      resources: [
        {
          name: 'api',
          kind: 'service' as const,
          state: 'ready' as const,
          ports: [{ container: 3000, host: 3000, hostIp: '127.0.0.1', protocol: 'tcp' as const }],
          restarts: 1,
          since: 0,
        },
      ],
    };
    const report = statusOfWhatRuns(
      { project: 'shop', env: 'default', branch: undefined },
      [container('cache')],
      { pid: 7, snapshot },
      1355,
    );
    expect(report).toMatchObject({ project: 'shop', env: 'default', supervisor: { pid: 7 }, state: 'ready' });
    expect(
      report.resources.map(({ name, kind, state, url, restarts }) => ({ name, kind, state, url, restarts })),
    ).toEqual([
      { name: 'api', kind: 'service', state: 'ready', url: 'http://api.shop.localhost:1355', restarts: 1 },
      { name: 'cache', kind: 'dependency', state: 'ready', url: null, restarts: 0 },
    ]);
  });

  it('without a supervisor, only the engine speaks', () => {
    const report = statusOfWhatRuns(
      { project: 'shop', env: 'default', branch: undefined },
      [container('cache')],
      undefined,
      1355,
    );
    expect(report).toMatchObject({
      supervisor: null,
      state: 'ready',
      resources: [{ name: 'cache', state: 'ready' }],
    });
  });
});
