import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { bringUp } from './bring-up.js';
import { IMAGE_VOLUME_LABEL, imageVolumes } from './image-volumes.js';

const yaml = (foo: string) => `
name: shop
dependencies:
  pg:
    image: postgres:17
    env: { POSTGRES_PASSWORD: pw, FOO: "${foo}" }
    ports: { pg: 5432 }
  cache:
    preset: redis
`;

function resolve(text: string): ResolvedEnvironment {
  const { environment, problems } = resolveText(text);
  if (!environment) throw new Error(problems.join('\n'));
  return environment;
}

function setup() {
  const runtime = new FakeRuntime({ registry: ['postgres:17', 'redis:8'] });
  runtime.imageVolumes.set('postgres:17', ['/var/lib/postgresql/data']);
  runtime.imageVolumes.set('redis:8', ['/data/']);
  const up = (text: string) =>
    bringUp({
      runtime,
      clock: new FakeClock(),
      hostPorts: { isFree: async () => true, pickFree: async () => 40_001, describeHolder: async () => '' },
      load: () => resolve(text),
      ports: { read: async () => ({}), write: async () => undefined },
      emit: () => undefined,
      signal: new AbortController().signal,
    });
  const mounts = (name: string) =>
    [...runtime.containers.values()].find((c) => c.name === `shop-default-${name}`)?.spec.mounts;
  return { runtime, up, mounts };
}

describe('imageVolumes', () => {
  it('names every VOLUME path that devenv.yaml does not mount, the same way every time', () => {
    const environment = resolve(yaml('1'));
    const [pg, cache] = environment.dependencies;
    if (!pg || !cache) throw new Error('fixture');
    const volumes = imageVolumes(environment, pg, ['/var/lib/postgresql/data/', '/var/lib/postgresql/data']);
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({
      path: '/var/lib/postgresql/data',
      volumeName: expect.stringMatching(/^shop-default-pg-anon-[0-9a-f]{8}$/),
      labels: {
        'devenv.project': 'shop',
        'devenv.env': 'default',
        'devenv.name': 'pg',
        [IMAGE_VOLUME_LABEL]: '/var/lib/postgresql/data',
      },
    });
    expect(imageVolumes(environment, pg, ['/var/lib/postgresql/data'])).toEqual(volumes);
    // The preset's `data` volume already covers redis' /data (written with or without the slash).
    expect(imageVolumes(environment, cache, ['/data/', '/data'])).toEqual([]);
  });

  it('carries the environment labels, so a preview keeps its own volumes', () => {
    const base = resolve(yaml('1'));
    const environment = { ...base, labels: { ...base.labels, 'devenv.preview': 'p1' } };
    const pg = environment.dependencies[0];
    if (!pg) throw new Error('fixture');
    expect(imageVolumes(environment, pg, ['/data'])[0]?.labels).toMatchObject({ 'devenv.preview': 'p1' });
  });
});

describe('bringUp with images that declare volumes (fake engine)', () => {
  it('mounts a labelled named volume at each uncovered VOLUME path, and mounts it again after a recreate', async () => {
    const { runtime, up, mounts } = setup();
    await up(yaml('1'));
    const first = mounts('pg');
    expect(first).toEqual([
      {
        kind: 'volume',
        volume: expect.stringMatching(/^shop-default-pg-anon-/),
        target: '/var/lib/postgresql/data',
      },
    ]);
    const volume = first?.[0]?.kind === 'volume' ? first[0].volume : '';
    expect(runtime.volumes.get(volume)?.labels).toMatchObject({
      'devenv.project': 'shop',
      'devenv.env': 'default',
    });
    // Only the preset's own volume for redis: its image's /data is the same path.
    expect(mounts('cache')).toEqual([{ kind: 'volume', volume: 'shop-default-cache-data', target: '/data' }]);

    runtime.calls.length = 0;
    await up(yaml('1'));
    expect(runtime.calls.filter((c) => /create|start|stop|remove/i.test(c.method))).toEqual([]);

    await up(yaml('2'));
    expect(runtime.calls.filter((c) => c.method === 'removeContainer')).toHaveLength(1);
    expect(mounts('pg')).toEqual(first);
    expect(runtime.calls.filter((c) => c.method === 'removeVolume')).toEqual([]);
  });
});
