import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/engine.js';
import { query } from '../support/pg-query.js';
import {
  PreviewProject,
  previewResources,
  publishedPort,
  sweepPreviews,
} from '../support/preview-project.js';

const docker = testEngine();

// A plain image, not the preset: its data lives in the path the image declares with VOLUME, in the
// named volume devenv makes for it.
const YAML = `
dependencies:
  db:
    image: postgres:17
    env: { POSTGRES_PASSWORD: pw }
    ports: { pg: 5432 }
    ready: { command: pg_isready -q -h 127.0.0.1 -U postgres }
`;

describe("a snapshot of a plain-image dependency's data (its image's VOLUME)", () => {
  const project = new PreviewProject(YAML);
  const ids: string[] = [];
  afterAll(async () => {
    project.run(['preview', 'down', '--branch', 'snap'], 60_000);
    await sweepPreviews(docker, ids);
    // Snapshot volumes carry the project's label: dispose removes them with the rest.
    await project.dispose(docker);
  });

  const url = (port: number) => `postgres://postgres:pw@127.0.0.1:${port}/postgres`;

  it('copies the local database, and a new preview starts with its rows', async () => {
    const up = project.run(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const [local] = await docker.listContainers({
      filters: { label: [`devenv.project=${project.name}`, 'devenv.env=default', 'devenv.name=db'] },
    });
    if (local === undefined) throw new Error('no local db');
    await query(
      url(publishedPort(local, 5432)),
      "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('from local')",
    );

    const snapshot = project.run(['snapshot', 'demo']);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    expect(snapshot.stderr).toContain('db: copying /var/lib/postgresql/data');
    expect(snapshot.stdout).toMatch(
      new RegExp(
        `^db: snapshot demo: /var/lib/postgresql/data → ${project.name}-snapshot-demo-db-anon-`,
        'm',
      ),
    );

    project.write(`${YAML}
preview:
  snapshot: demo
`);
    const preview = project.run(['preview', 'up', '--branch', 'snap']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stderr).toContain('db: started from snapshot demo (/var/lib/postgresql/data)');
    const id = (
      JSON.parse(project.run(['preview', 'ls', '--json']).stdout) as { id: string; branch: string }[]
    ).find((p) => p.branch === 'snap')?.id as string;
    ids.push(id);
    const db = (await previewResources(docker, id)).containers.find((c) => c.Labels['devenv.name'] === 'db');
    if (db === undefined) throw new Error('no preview db');
    expect(await query(url(publishedPort(db, 5432)), 'SELECT body FROM notes')).toEqual([
      { body: 'from local' },
    ]);
  });
});
