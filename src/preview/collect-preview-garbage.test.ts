import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { collectPreviewGarbage } from './collect-preview-garbage.js';
import { type PreviewRecord, recordLabels } from './preview-contract.js';

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
});
