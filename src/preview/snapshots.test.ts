import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import { bringUp } from '../engine/bring-up.js';
import { IMAGE_VOLUME_LABEL, imageVolumes } from '../engine/image-volumes.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { dependencyDataVolumes } from './dependency-data-volumes.js';
import { deployPreview } from './deploy-preview.js';
import { previewModel } from './preview-model.js';
import { captureSnapshot, restoreSnapshot } from './snapshots.js';

const PG_DATA = '/var/lib/postgresql/data';

// A plain image: nothing in devenv.yaml names postgres' data directory, its image declares it with VOLUME.
const YAML = `
name: shop
dependencies:
  pg:
    image: postgres:17
    env: { POSTGRES_PASSWORD: pw }
  cache:
    preset: redis
preview:
  snapshot: demo
`;

/** The fake engine, where a volume-copy helper copies what a volume holds (a string) and exits 0. */
class CopyingRuntime extends FakeRuntime {
  readonly contents = new Map<string, string>();

  override async startContainer(id: string): Promise<void> {
    await super.startContainer(id);
    const container = this.containers.get(id);
    if (container?.labels['devenv.helper'] !== 'volume-copy') return;
    const volumeAt = (target: string) => {
      const mount = container.spec.mounts?.find((m) => m.target === target);
      return mount?.kind === 'volume' ? mount.volume : '';
    };
    const data = this.contents.get(volumeAt('/from'));
    if (data !== undefined) this.contents.set(volumeAt('/to'), data);
    Object.assign(container, { state: 'exited', exitCode: 0 });
  }
}

function resolve(options: { branch?: string; preview?: boolean } = {}): ResolvedEnvironment {
  const { environment, problems } = resolveText(YAML, options);
  if (!environment) throw new Error(problems.join('\n'));
  return environment;
}

async function localEnvironment() {
  const runtime = new CopyingRuntime({ registry: ['postgres:17', 'redis:8'] });
  runtime.imageVolumes.set('postgres:17', [PG_DATA]);
  runtime.imageVolumes.set('redis:8', ['/data']);
  const environment = resolve();
  await bringUp({
    runtime,
    clock: new FakeClock(),
    hostPorts: { isFree: async () => true, pickFree: async () => 40_001, describeHolder: async () => '' },
    load: () => environment,
    ports: { read: async () => ({}), write: async () => undefined },
    emit: () => undefined,
    signal: new AbortController().signal,
  });
  const pg = environment.dependencies.find((dependency) => dependency.name === 'pg');
  if (pg === undefined) throw new Error('fixture');
  const [local] = imageVolumes(environment, pg, [PG_DATA]);
  if (local === undefined) throw new Error('fixture');
  runtime.contents.set(local.volumeName, 'rows of the local database');
  return { runtime, environment, pg, local };
}

const signal = new AbortController().signal;

describe('snapshots of a plain-image dependency (its data in a VOLUME path of the image)', () => {
  it('counts the image volume as data, named and labelled as up creates it', async () => {
    const { environment, pg, local } = await localEnvironment();
    expect(pg.volumes).toEqual([]);
    expect(dependencyDataVolumes(environment, pg, [PG_DATA])).toEqual([{ ...local, fromImage: true }]);
    const cache = environment.dependencies.find((dependency) => dependency.name === 'cache');
    if (cache === undefined) throw new Error('fixture');
    // The preset's `data` covers redis' /data: one volume, the declared one.
    expect(dependencyDataVolumes(environment, cache, ['/data'])).toEqual([
      { ...cache.volumes[0], labels: environment.labels, fromImage: false },
    ]);
  });

  it('copies the image volume into the snapshot, with the dependency stopped during the copy', async () => {
    const { runtime, environment, pg, local } = await localEnvironment();
    runtime.calls.length = 0;
    const copied = await captureSnapshot(runtime, {
      environment,
      snapshot: 'demo',
      dependency: pg,
      volumes: dependencyDataVolumes(environment, pg, [PG_DATA]),
      signal,
    });
    expect(copied).toEqual([
      {
        path: PG_DATA,
        source: local.volumeName,
        target: expect.stringMatching(new RegExp(`^shop-snapshot-demo-pg-${local.name}-[0-9a-z]+$`)),
      },
    ]);
    expect(runtime.contents.get(copied[0]?.target ?? '')).toBe('rows of the local database');
    const pgContainer = [...runtime.containers.values()].find((c) => c.name === 'shop-default-pg');
    expect(pgContainer?.state).toBe('running');
    expect(runtime.calls.filter((c) => c.method === 'stopContainer').map((c) => c.args[0])).toEqual([
      pgContainer?.id,
    ]);
  });

  it('fills a new preview’s image volume from it before the dependency first starts, so the container mounts it', async () => {
    const { runtime, environment, pg } = await localEnvironment();
    await captureSnapshot(runtime, {
      environment,
      snapshot: 'demo',
      dependency: pg,
      volumes: dependencyDataVolumes(environment, pg, [PG_DATA]),
      signal,
    });
    const model = previewModel(resolve({ branch: 'feat/x', preview: true }), {
      branch: 'feat/x',
      domain: 'preview.localhost',
      folderFacts: () => ({ hasPackageJson: false, hasNodeModules: false }),
    });
    const previewPg = model.dependencies.find((dependency) => dependency.name === 'pg');
    if (previewPg === undefined) throw new Error('fixture');
    const [volume] = imageVolumes(model.environment, previewPg, [PG_DATA]);
    if (volume === undefined) throw new Error('fixture');
    runtime.calls.length = 0;
    const lines: string[] = [];
    await deployPreview({
      runtime,
      clock: new FakeClock(),
      model,
      commit: undefined,
      ttlMs: 3_600_000,
      access: 'public',
      publicPaths: [],
      idleSleepMinutes: 0,
      emit: () => undefined,
      progress: (line) => lines.push(line),
      signal,
      lockHolder: { host: 'test', identity: { pid: 1, started: '1' }, isRunning: async () => true },
    });

    expect(lines).toContain(`pg: started from snapshot demo (${PG_DATA})`);
    expect(runtime.contents.get(volume.volumeName)).toBe('rows of the local database');
    // Exactly the labels `up` gives it: the engine refuses to adopt a volume with others.
    expect(runtime.volumes.get(volume.volumeName)?.labels).toEqual(volume.labels);
    expect(volume.labels).toMatchObject({ 'devenv.preview': model.id, [IMAGE_VOLUME_LABEL]: PG_DATA });
    const created = runtime.calls.findIndex(
      (c) =>
        c.method === 'createContainer' && (c.args[0] as { name: string }).name === previewPg.containerName,
    );
    const filled = runtime.calls.findIndex(
      (c) => c.method === 'ensureVolume' && c.args[0] === volume.volumeName,
    );
    expect(filled).toBeGreaterThanOrEqual(0);
    expect(filled).toBeLessThan(created);
    const mounted = [...runtime.containers.values()].find((c) => c.name === previewPg.containerName)?.spec
      .mounts;
    expect(mounted).toEqual([{ kind: 'volume', volume: volume.volumeName, target: PG_DATA }]);
  });

  it('leaves a dependency the snapshot has nothing of alone: no pull, nothing restored', async () => {
    const { runtime, environment, pg } = await localEnvironment();
    await captureSnapshot(runtime, {
      environment,
      snapshot: 'demo',
      dependency: pg,
      volumes: dependencyDataVolumes(environment, pg, [PG_DATA]),
      signal,
    });
    const preview = resolve({ branch: 'feat/y', preview: true });
    const cache = preview.dependencies.find((dependency) => dependency.name === 'cache');
    if (cache === undefined) throw new Error('fixture');
    runtime.calls.length = 0;
    expect(
      await restoreSnapshot(runtime, { environment: preview, snapshot: 'demo', dependency: cache, signal }),
    ).toEqual([]);
    expect(runtime.calls.map((c) => c.method)).toEqual(['listVolumes']);
  });
});
