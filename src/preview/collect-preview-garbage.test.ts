import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { collectPreviewGarbage } from './collect-preview-garbage.js';
import { type PreviewRecord, previewEnvironmentName, previewId, recordLabels } from './preview-contract.js';
import { acquirePreviewLock, type LockHolderOptions } from './preview-lock.js';

const record = (id: string, expires: string): PreviewRecord => ({
  id,
  project: 'shop',
  env: `preview-${id}`,
  branch: id,
  commit: undefined,
  created: new Date('2026-01-01T00:00:00Z'),
  updated: new Date('2026-01-01T00:00:00Z'),
  expires: new Date(expires),
  access: 'private',
  secret: 's',
  publicPaths: [],
  domain: 'preview.localhost',
  idleSleepMinutes: 0,
  services: [],
});

describe('collectPreviewGarbage', () => {
  it('removes expired previews and orphans, and leaves live previews and unlabelled resources alone', async () => {
    const runtime = new FakeRuntime({ images: ['postgres:17'] });
    const labels = (id: string) => ({
      'devenv.project': 'shop',
      'devenv.env': `preview-${id}`,
      'devenv.preview': id,
    });
    await runtime.ensureVolume('rec-old', recordLabels(record('old.shop', '2026-01-02T00:00:00Z')));
    await runtime.ensureVolume('rec-live', recordLabels(record('live.shop', '2026-01-09T00:00:00Z')));
    for (const id of ['old.shop', 'live.shop', 'orphan.shop']) {
      await runtime.ensureNetwork(`net-${id}`, labels(id));
      await runtime.ensureVolume(`data-${id}`, labels(id));
      await runtime.createContainer({ name: `db-${id}`, image: 'postgres:17', labels: labels(id) });
    }
    await runtime.ensureVolume('users-own', { 'devenv.project': 'shop' });

    const report = await collectPreviewGarbage(runtime, { now: new Date('2026-01-03T00:00:00Z') });
    expect(report.expired).toEqual(['old.shop']);
    expect(report.orphaned).toEqual(['orphan.shop']);
    expect(report.removed).toMatchObject({ containers: 2, networks: 2, volumes: 3 });
    expect([...runtime.volumes.keys()].sort()).toEqual(['data-live.shop', 'rec-live', 'users-own']);
    expect((await runtime.listContainers({})).map((c) => c.name)).toEqual(['db-live.shop']);
  });

  it('never takes a preview whose record is written while it runs for an orphan', async () => {
    const runtime = new FakeRuntime();
    const labels = { 'devenv.project': 'shop', 'devenv.env': 'preview-new', 'devenv.preview': 'new.shop' };
    await runtime.ensureVolume('data-new.shop', labels);
    // `preview up` writes its record right after gc's first listing, then creates the rest.
    const list = runtime.listVolumes.bind(runtime);
    let listings = 0;
    runtime.listVolumes = async (filter) => {
      const volumes = await list(filter);
      if (listings++ === 0) {
        await runtime.ensureVolume('rec-new', recordLabels(record('new.shop', '2026-01-09T00:00:00Z')));
      }
      return volumes;
    };
    const report = await collectPreviewGarbage(runtime, { now: new Date('2026-01-03T00:00:00Z') });
    expect(report.orphaned).toEqual([]);
    expect([...runtime.volumes.keys()].sort()).toEqual(['data-new.shop', 'rec-new']);
  });

  it('touches only the named project when given one', async () => {
    const runtime = new FakeRuntime({ images: ['postgres:17'] });
    await runtime.ensureVolume('a', { 'devenv.project': 'shop', 'devenv.preview': 'x.shop' });
    await runtime.ensureVolume('b', { 'devenv.project': 'blog', 'devenv.preview': 'x.blog' });
    const report = await collectPreviewGarbage(runtime, { now: new Date(), project: 'blog' });
    expect(report.orphaned).toEqual(['x.blog']);
    expect([...runtime.volumes.keys()]).toEqual(['a']);
  });

  describe('with a preview lock', () => {
    const id = previewId('shop', 'feat/x');
    const env = previewEnvironmentName('feat/x');
    const setUp = async (withPreview: boolean) => {
      const runtime = new FakeRuntime({ images: ['postgres:17'] });
      const clock = new FakeClock(Date.parse('2026-01-03T00:00:00Z'));
      const running = new Set<number>();
      const holder = (pid: number, host = 'laptop'): LockHolderOptions => ({
        host,
        boot: `${host}-boot`,
        identity: { pid, started: '42' },
        isRunning: async (identity) => host === 'laptop' && running.has(identity.pid),
      });
      const labels = { 'devenv.project': 'shop', 'devenv.env': env, 'devenv.preview': id };
      if (withPreview) {
        await runtime.ensureVolume('rec', recordLabels({ ...record(id, '2026-01-02T00:00:00Z'), env }));
        await runtime.ensureVolume('data', labels);
        await runtime.createContainer({ name: 'db', image: 'postgres:17', labels });
      }
      const lock = (pid: number, host?: string, signal = new AbortController().signal) =>
        acquirePreviewLock({
          runtime,
          clock,
          project: 'shop',
          env,
          previewId: id,
          command: 'preview up',
          ...holder(pid, host),
          progress: () => undefined,
          signal,
          beatMs: 10_000,
        });
      const lines: string[] = [];
      const gc = () =>
        collectPreviewGarbage(runtime, {
          now: new Date(clock.now()),
          clock,
          lockHolder: holder(900),
          progress: (line) => lines.push(line),
          signal: new AbortController().signal,
        });
      const lockVolumes = () =>
        [...runtime.volumes.values()].filter((volume) => volume.labels['devenv.preview.lock'] !== undefined);
      return { runtime, clock, running, lock, gc, lines, lockVolumes };
    };

    it('leaves an expired preview alone while a live `preview up` holds its lock, and says so', async () => {
      const { runtime, running, lock, gc, lines, lockVolumes } = await setUp(true);
      running.add(100);
      await lock(100);
      const report = await gc();
      expect(report.expired).toEqual([]);
      expect(report.skipped).toEqual([id]);
      expect(lines.at(-1)).toBe(
        `${id}: left alone: a \`preview up\` holds its lock (host laptop, pid 100, since 00:00:00)`,
      );
      expect(runtime.containers.size).toBe(1);
      expect(lockVolumes()).toHaveLength(1);
    });

    it('leaves it alone as soon as a holder on another machine shows a heartbeat', async () => {
      const { runtime, clock, lock, gc, lockVolumes } = await setUp(true);
      await lock(100, 'ci-7');
      let report: Awaited<ReturnType<typeof gc>> | undefined;
      const collecting = gc().then((done) => {
        report = done;
      });
      for (let second = 0; second < 11 && report === undefined; second++) await clock.advance(1_000);
      await collecting;
      expect(report?.skipped).toEqual([id]);
      expect(runtime.containers.size).toBe(1);
      expect(lockVolumes().length).toBeGreaterThan(0);
    });

    it('removes an expired preview with the lock and heartbeats a killed run left', async () => {
      const { runtime, clock, lock, gc, lockVolumes } = await setUp(true);
      // A run on another machine that beat once and was killed.
      const killRemote = new AbortController();
      await lock(100, 'ci-7', killRemote.signal);
      await clock.advance(10_000);
      killRemote.abort();
      let report: Awaited<ReturnType<typeof gc>> | undefined;
      const collecting = gc().then((done) => {
        report = done;
      });
      for (let second = 0; second < 61 && report === undefined; second++) await clock.advance(1_000);
      await collecting;
      expect(report?.expired).toEqual([id]);
      expect(runtime.containers.size).toBe(0);
      expect(lockVolumes()).toEqual([]);
    });

    it('removes a lock a killed run left without any preview (killed before writing its record)', async () => {
      const { lock, gc, lockVolumes } = await setUp(false);
      await lock(100); // pid 100 does not run
      const report = await gc();
      expect(report.orphaned).toEqual([id]);
      expect(lockVolumes()).toEqual([]);
    });

    it('does not remove a preview its lock holder renewed while gc waited', async () => {
      const { runtime, running, lock, gc } = await setUp(true);
      running.add(100);
      const held = await lock(100);
      // The holder's deploy extends the preview, then ends just before gc looks at the lock.
      await runtime.ensureVolume(
        'rec-2',
        recordLabels({
          ...record(id, '2026-01-09T00:00:00Z'),
          env,
          updated: new Date('2026-01-02T12:00:00Z'),
        }),
      );
      await held.release();
      const report = await gc();
      expect(report.expired).toEqual([]);
      expect(runtime.containers.size).toBe(1);
    });
  });
});
