import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/engine.js';
import { get } from '../support/http.js';
import {
  PREVIEW_YAML,
  PreviewProject,
  previewResources,
  publishedPort,
  sweepPreviews,
} from '../support/preview-project.js';

const docker = testEngine();

/** The preview's running container of `name` (oldest first, as the gateway picks). */
async function container(id: string, name: string) {
  const { containers } = await previewResources(docker, id);
  const found = containers
    .filter((c) => c.Labels['devenv.name'] === name && c.State === 'running')
    .sort((a, b) => a.Created - b.Created)[0];
  if (found === undefined) throw new Error(`no running ${name} in ${id}`);
  return found;
}

describe('devenv preview up: two branches of one repository at once, isolated', () => {
  const project = new PreviewProject();
  const ids: string[] = [];
  afterAll(async () => {
    for (const branch of ['feat/a', 'feat/b']) project.run(['preview', 'down', '--branch', branch], 60_000);
    await sweepPreviews(docker, ids);
    await project.dispose(docker);
  });

  it('prints the URL before anything exists, then serves each branch’s own code through its published port', async () => {
    const before = project.run(['preview', 'url', '--branch', 'feat/a', '--service', 'web']);
    expect(before.code, before.stderr).toBe(0);
    const urlA = before.stdout.trim();
    expect(urlA).toMatch(
      new RegExp(`^http://web--feat-a-[0-9a-f]{8}\\.${project.name}\\.preview\\.localhost:8080$`),
    );

    project.branch('feat/a', 'code of a');
    const upA = project.run(['preview', 'up']);
    expect(upA.code, upA.stderr).toBe(0);
    expect(upA.stdout).toContain(urlA);
    project.branch('feat/b', 'code of b');
    const upB = project.run(['preview', 'up']);
    expect(upB.code, upB.stderr).toBe(0);

    const list = project.run(['preview', 'ls', '--json']);
    const previews = (
      JSON.parse(list.stdout) as { id: string; branch: string; state: string; commit: string }[]
    ).filter((p) => p.id.endsWith(`.${project.name}`));
    expect(previews.map((p) => [p.branch, p.state])).toEqual([
      ['feat/a', 'running'],
      ['feat/b', 'running'],
    ]);
    expect(previews[0]?.commit).toMatch(/^[0-9a-f]{40}$/);
    ids.push(...previews.map((p) => p.id));
    const [idA, idB] = ids as [string, string];

    const webA = await container(idA, 'web');
    const webB = await container(idB, 'web');
    // The host the gateway routes is exactly what `preview url` printed before the deploy.
    expect(webA.Labels['devenv.preview.host']).toBe(new URL(urlA).hostname);
    expect(webA.Labels['devenv.preview.port']).toBe('8080');
    const a = JSON.parse(await get(`http://127.0.0.1:${publishedPort(webA, 8080)}/`));
    const b = JSON.parse(await get(`http://127.0.0.1:${publishedPort(webB, 8080)}/`));
    expect(a).toMatchObject({ message: 'code of a', url: urlA, webUrl: urlA, db: 'db:5432' });
    expect(b.message).toBe('code of b');
    expect(b.url).not.toBe(urlA);

    // Each preview has its own network, volumes and database.
    const [resA, resB] = await Promise.all([previewResources(docker, idA), previewResources(docker, idB)]);
    expect(resA.networks).toHaveLength(1);
    expect(resA.networks[0]?.Id).not.toBe(resB.networks[0]?.Id);
    const dataA = resA.volumes
      .filter((v) => v.Labels['devenv.preview.record'] === undefined)
      .map((v) => v.Name);
    const dataB = resB.volumes
      .filter((v) => v.Labels['devenv.preview.record'] === undefined)
      .map((v) => v.Name);
    expect(dataA).toHaveLength(1);
    expect(dataA).not.toEqual(dataB);
  });

  it('keeps the databases apart: a row written in one preview is absent from the other', async () => {
    const [idA, idB] = ids as [string, string];
    const connect = async (id: string) => {
      const client = new pg.Client({
        connectionString: `postgres://devenv:devenv@127.0.0.1:${publishedPort(await container(id, 'db'), 5432)}/app`,
      });
      await client.connect();
      return client;
    };
    const a = await connect(idA);
    const b = await connect(idB);
    try {
      await a.query('CREATE TABLE notes (body text)');
      await a.query("INSERT INTO notes VALUES ('only in a')");
      expect((await a.query('SELECT body FROM notes')).rows).toEqual([{ body: 'only in a' }]);
      const inB = await b.query("SELECT to_regclass('public.notes') AS t");
      expect(inB.rows[0].t).toBeNull();
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('updates a branch blue-green: the new code serves, the old container is gone, the data stays', async () => {
    const [idA] = ids as [string];
    project.git(['checkout', '-q', 'feat/a']);
    project.branch('feat/a', 'code of a, v2');
    const old = await container(idA, 'web');
    const up = project.run(['preview', 'up']);
    expect(up.code, up.stderr).toBe(0);
    const web = await container(idA, 'web');
    expect(web.Id).not.toBe(old.Id);
    const { containers } = await previewResources(docker, idA);
    expect(containers.filter((c) => c.Labels['devenv.name'] === 'web')).toHaveLength(1);
    expect(JSON.parse(await get(`http://127.0.0.1:${publishedPort(web, 8080)}/`)).message).toBe(
      'code of a, v2',
    );

    const db = await container(idA, 'db');
    const client = new pg.Client({
      connectionString: `postgres://devenv:devenv@127.0.0.1:${publishedPort(db, 5432)}/app`,
    });
    await client.connect();
    try {
      expect((await client.query('SELECT body FROM notes')).rows).toEqual([{ body: 'only in a' }]);
    } finally {
      await client.end();
    }
  });

  it('removes a service taken out of devenv.yaml on the next up, keeping the others', async () => {
    const [idA] = ids as [string];
    const withWorker = `${PREVIEW_YAML}  worker:
    run: node server.cjs
    port: 8081
    env:
      DATABASE_URL: \${db.url}
`;
    project.write(withWorker);
    project.commitAll('add a worker');
    const added = project.run(['preview', 'up']);
    expect(added.code, added.stderr).toBe(0);
    await container(idA, 'worker');

    project.write(PREVIEW_YAML);
    project.commitAll('remove the worker');
    const removed = project.run(['preview', 'up']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout + removed.stderr).toContain('worker: removed (no longer in devenv.yaml)');
    const { containers } = await previewResources(docker, idA);
    expect(containers.map((c) => c.Labels['devenv.name']).sort()).toEqual(['db', 'web']);
  });

  it('preview down leaves nothing labelled with the preview behind', async () => {
    const [idA] = ids as [string];
    const down = project.run(['preview', 'down', '--branch', 'feat/a']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Removed preview ${idA}`);
    const left = await previewResources(docker, idA);
    expect(left).toEqual({ containers: [], networks: [], volumes: [], images: [] });
    // The other preview is untouched.
    expect((await previewResources(docker, ids[1] as string)).containers.length).toBeGreaterThan(0);
  });
});
