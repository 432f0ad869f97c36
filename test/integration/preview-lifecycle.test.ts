import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/engine.js';
import { get } from '../support/http.js';
import {
  PreviewProject,
  previewResources,
  publishedPort,
  sweepPreviews,
} from '../support/preview-project.js';

const docker = testEngine();

/** 120 characters with slashes and non-ASCII letters. */
const LONG_BRANCH = `feature/ünïcode-ブランチ/${'very-long-segment/'.repeat(7)}`.slice(0, 119).concat('z');

describe('preview lifecycle: long names, extend, logs, expiry and gc', () => {
  const project = new PreviewProject();
  const ids: string[] = [];
  afterAll(async () => {
    project.run(['preview', 'down', '--branch', LONG_BRANCH], 60_000);
    await sweepPreviews(docker, ids);
    await project.dispose(docker);
  });

  it('previews a 120-character branch with slashes and unicode under the URL printed before', async () => {
    expect(LONG_BRANCH).toHaveLength(120);
    const url = project.run(['preview', 'url', '--branch', LONG_BRANCH, '--json']);
    expect(url.code, url.stderr).toBe(0);
    const { web } = JSON.parse(url.stdout) as { web: string };
    const host = new URL(web).hostname;
    for (const label of host.split('.')) expect(label.length).toBeLessThanOrEqual(63);

    const up = project.run(['preview', 'up', '--branch', LONG_BRANCH, '--ttl', '1h']);
    expect(up.code, up.stderr).toBe(0);
    const list = JSON.parse(project.run(['preview', 'ls', '--json']).stdout) as {
      id: string;
      branch: string;
      urls: Record<string, string>;
      expiresAt: string;
    }[];
    const mine = list.find((p) => p.branch === LONG_BRANCH);
    expect(mine?.urls.web).toBe(web);
    ids.push(mine?.id ?? '');
    const { containers } = await previewResources(docker, mine?.id ?? '');
    const container = containers.find((c) => c.Labels['devenv.name'] === 'web');
    expect(container?.Labels['devenv.preview.host']).toBe(host);
    if (container === undefined) throw new Error('no web container');
    const body = JSON.parse(await get(`http://127.0.0.1:${publishedPort(container, 8080)}/`));
    expect(body.url).toBe(web);
  });

  it('extends the expiry and shows the logs', async () => {
    const before = JSON.parse(project.run(['preview', 'ls', '--json']).stdout)[0].expiresAt as string;
    const extend = project.run(['preview', 'extend', '--branch', LONG_BRANCH, '--ttl', '7d']);
    expect(extend.code, extend.stderr).toBe(0);
    const after = (
      JSON.parse(project.run(['preview', 'ls', '--json']).stdout) as { id: string; expiresAt: string }[]
    ).find((p) => p.id === ids[0]);
    expect(new Date(after?.expiresAt ?? 0).getTime()).toBeGreaterThan(new Date(before).getTime());
    const records = (await previewResources(docker, ids[0] ?? '')).volumes.filter(
      (v) => v.Labels['devenv.preview.record'] === '1',
    );
    expect(records).toHaveLength(1);

    const logs = project.run(['preview', 'logs', '--branch', LONG_BRANCH, '--service', 'db']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/^db \| /m);
  });

  it('removes an expired preview with its volumes and network on gc, and nothing else', async () => {
    const short = project.run(['preview', 'up', '--branch', 'short-lived', '--ttl', '1s']);
    expect(short.code, short.stderr).toBe(0);
    const id = (
      JSON.parse(project.run(['preview', 'ls', '--json']).stdout) as { id: string; branch: string }[]
    ).find((p) => p.branch === 'short-lived')?.id as string;
    ids.push(id);
    const made = await previewResources(docker, id);
    expect(made.networks).toHaveLength(1);
    expect(made.volumes.length).toBeGreaterThanOrEqual(2);

    const gc = project.run(['preview', 'gc', '--json', '--project', project.name]);
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(gc.stdout).expired).toContain(id);
    expect(await previewResources(docker, id)).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
    // The long-lived preview is untouched.
    expect((await previewResources(docker, ids[0] ?? '')).containers.length).toBeGreaterThan(0);
  });

  it('removes orphaned resources whose record is gone', async () => {
    const id = ids[0] ?? '';
    const record = (await previewResources(docker, id)).volumes.find(
      (v) => v.Labels['devenv.preview.record'] === '1',
    );
    await docker.getVolume(record?.Name ?? '').remove();
    const gc = project.run(['preview', 'gc', '--json', '--project', project.name]);
    expect(JSON.parse(gc.stdout).orphaned).toContain(id);
    expect(await previewResources(docker, id)).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  });
});
