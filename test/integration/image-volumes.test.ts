import { afterAll, describe, expect, it } from 'vitest';
import { containerIds, DevenvProject, labelled } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { query } from '../support/pg-query.js';

const docker = testEngine();

// A plain image, not the preset: nothing in devenv.yaml names postgres' data directory, which the
// image declares with VOLUME (the stand-in of postgres:17 does too).
const plainPostgres = (foo: string) => `
dependencies:
  pg:
    image: postgres:17
    env: { POSTGRES_PASSWORD: pw, FOO: "${foo}" }
    ports: { pg: 5432 }
    ready: { command: pg_isready -q -h 127.0.0.1 -U postgres }
`;

describe("a dependency's image-declared volume on the real engine", () => {
  const project = new DevenvProject(plainPostgres('1'));
  afterAll(() => project.dispose(docker));

  const url = () => {
    const status = JSON.parse(project.run(['status', '--json']).stdout) as {
      resources: { name: string; ports: { host: number }[] }[];
    };
    const port = status.resources.find((r) => r.name === 'pg')?.ports[0]?.host;
    return `postgres://postgres:pw@127.0.0.1:${port}/postgres`;
  };
  const imageVolumes = async () =>
    (await labelled(docker, project.name)).volumes.filter((v) => v.Labels?.['devenv.image-volume']);

  it('mounts a named, labelled volume at the VOLUME path instead of an anonymous one', async () => {
    const up = project.run(['up', '--detach']);
    expect(up.code, up.stderr).toBe(0);
    const volumes = await imageVolumes();
    expect(volumes.map((v) => [v.Name, v.Labels?.['devenv.image-volume']])).toEqual([
      [
        expect.stringMatching(new RegExp(`^${project.name}-default-pg-anon-[0-9a-f]{8}$`)),
        '/var/lib/postgresql/data',
      ],
    ]);
    const { pg } = await containerIds(docker, project.name);
    const mounts = (await docker.getContainer(pg ?? '').inspect()).Mounts;
    expect(mounts.map((m) => [m.Name, m.Destination])).toEqual([
      [volumes[0]?.Name, '/var/lib/postgresql/data'],
    ]);
  });

  it('keeps the data when a changed env recreates the container', async () => {
    await query(url(), 'CREATE TABLE orders (id int); INSERT INTO orders VALUES (42)');
    const before = await containerIds(docker, project.name);
    project.write(plainPostgres('2'));
    expect(project.run(['up', '-d']).code).toBe(0);
    expect((await containerIds(docker, project.name)).pg).not.toBe(before.pg);
    expect(await query(url(), 'SELECT id FROM orders')).toEqual([{ id: 42 }]);
  });

  it('keeps the data across down + up', async () => {
    const down = project.run(['down']);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('kept 1 data volume');
    expect(await imageVolumes()).toHaveLength(1);
    expect(project.run(['up', '-d']).code).toBe(0);
    expect(await query(url(), 'SELECT id FROM orders')).toEqual([{ id: 42 }]);
  });

  it('removes the volume with down --volumes, so the database starts empty', async () => {
    expect(project.run(['down', '--volumes']).code).toBe(0);
    expect(await imageVolumes()).toEqual([]);
    expect(project.run(['up', '-d']).code).toBe(0);
    await expect(query(url(), 'SELECT id FROM orders')).rejects.toThrow(/orders/);
  });
});
