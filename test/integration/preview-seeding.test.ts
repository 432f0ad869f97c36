import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/engine.js';
import {
  PreviewProject,
  previewResources,
  publishedPort,
  sweepPreviews,
} from '../support/preview-project.js';

const docker = testEngine();

const YAML = `
dependencies:
  db:
    preset: postgres
`;

describe('seeding previews: a snapshot of the local database, then a SQL seed', () => {
  const project = new PreviewProject(YAML);
  const ids: string[] = [];
  afterAll(async () => {
    for (const branch of ['seeded', 'retried']) project.run(['preview', 'down', '--branch', branch], 60_000);
    await sweepPreviews(docker, ids);
    const filters = { label: [`devenv.project=${project.name}`, 'devenv.snapshot'] };
    for (const volume of (await docker.listVolumes({ filters })).Volumes ?? [])
      await docker.getVolume(volume.Name).remove();
    await project.dispose(docker);
  });

  const query = async (port: number, sql: string) => {
    const client = new pg.Client({ connectionString: `postgres://devenv:devenv@127.0.0.1:${port}/app` });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it('captures the local db into a snapshot, and a new preview starts from it and runs its seed', async () => {
    const up = project.run(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const [local] = await docker.listContainers({
      filters: { label: [`devenv.project=${project.name}`, 'devenv.env=default', 'devenv.name=db'] },
    });
    if (local === undefined) throw new Error('no local db');
    await query(
      publishedPort(local, 5432),
      "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('from local')",
    );

    const snapshot = project.run(['snapshot', 'demo']);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    expect(snapshot.stdout).toContain('db: snapshot demo');
    // Taken again: the new take replaces the old one once complete (its data volume and its marker).
    const retaken = project.run(['snapshot', 'demo']);
    expect(retaken.code, retaken.stderr).toBe(0);
    const takes = (
      (
        await docker.listVolumes({
          filters: { label: [`devenv.project=${project.name}`, 'devenv.snapshot=demo'] },
        })
      ).Volumes ?? []
    ).map((volume) => volume.Labels['devenv.snapshot.generation']);
    expect(takes).toHaveLength(2);
    expect(new Set(takes).size).toBe(1);

    writeFileSync(join(project.dir, 'seed.sql'), "INSERT INTO notes VALUES ('from seed');\n");
    project.write(`${YAML}
preview:
  snapshot: demo
  seed:
    dependency: db
    sql: seed.sql
`);
    const preview = project.run(['preview', 'up', '--branch', 'seeded']);
    expect(preview.code, preview.stderr).toBe(0);
    const id = (
      JSON.parse(project.run(['preview', 'ls', '--json']).stdout) as { id: string; branch: string }[]
    ).find((p) => p.branch === 'seeded')?.id as string;
    ids.push(id);
    const db = (await previewResources(docker, id)).containers.find((c) => c.Labels['devenv.name'] === 'db');
    if (db === undefined) throw new Error('no preview db');
    const rows = await query(publishedPort(db, 5432), 'SELECT body FROM notes ORDER BY body');
    expect(rows).toEqual([{ body: 'from local' }, { body: 'from seed' }]);

    // The local database is running again and untouched by the preview's seed.
    const [again] = await docker.listContainers({
      filters: { label: [`devenv.project=${project.name}`, 'devenv.env=default', 'devenv.name=db'] },
    });
    expect(again?.State).toBe('running');
  });

  it('sets up again a preview whose first up failed: from the snapshot afresh, seeded once', async () => {
    writeFileSync(join(project.dir, 'seed.sql'), 'INSERT INTO no_such_table VALUES (1);\n');
    const failed = project.run(['preview', 'up', '--branch', 'retried']);
    expect(failed.code).not.toBe(0);
    const id = (
      JSON.parse(project.run(['preview', 'ls', '--json']).stdout) as { id: string; branch: string }[]
    ).find((p) => p.branch === 'retried')?.id as string;
    expect(id).toBeDefined();
    ids.push(id);

    writeFileSync(join(project.dir, 'seed.sql'), "INSERT INTO notes VALUES ('from seed');\n");
    const retried = project.run(['preview', 'up', '--branch', 'retried']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toContain('the first deploy did not finish');
    const rows = async () => {
      const db = (await previewResources(docker, id)).containers.find(
        (c) => c.Labels['devenv.name'] === 'db' && c.State === 'running',
      );
      if (db === undefined) throw new Error('no preview db');
      return query(publishedPort(db, 5432), 'SELECT body FROM notes ORDER BY body');
    };
    expect(await rows()).toEqual([{ body: 'from local' }, { body: 'from seed' }]);

    // Set up now: a further up neither restores nor seeds again.
    const again = project.run(['preview', 'up', '--branch', 'retried']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('seeding');
    expect(await rows()).toEqual([{ body: 'from local' }, { body: 'from seed' }]);
  });
});
