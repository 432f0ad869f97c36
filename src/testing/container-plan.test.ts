import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import { containerPlanFor } from './container-plan.js';

const session = { id: 'a1b2c3d4', project: 'shop', owner: 'box 123 456' };

describe('containerPlanFor', () => {
  const { environment, problems } = resolveText(
    `
name: shop
dependencies:
  db: { preset: postgres }
  worker:
    image: busybox:1
    command: [sleep, "3600"]
    env: { DATABASE_URL: "\${db.url}" }
`,
    { select: { names: ['db', 'worker'] }, exactHostPorts: { db: { postgres: 45432 } } },
  );
  const [db, worker] = environment?.dependencies ?? [];

  it('resolves', () => expect(problems).toEqual([]));

  it('keeps image, env, command and ports, on the reserved host port, with no volumes', () => {
    if (db === undefined) throw new Error('db was not resolved');
    const plan = containerPlanFor(db, session);
    expect(plan).toMatchObject({
      name: 'db',
      containerName: 'shop-test-a1b2c3d4-db',
      image: 'postgres:17',
      command: undefined,
      env: { POSTGRES_USER: 'devenv', POSTGRES_PASSWORD: 'devenv', POSTGRES_DB: 'app' },
      ports: [{ container: 5432, host: 45432, protocol: 'tcp' }],
      wait: { plan: { kind: 'command', shell: expect.stringContaining('pg_isready') }, timeoutMs: 60_000 },
      after: [],
    });
    expect(Object.keys(plan)).not.toContain('volumes');
  });

  it("labels it for the session only, never with devenv's own environment labels", () => {
    if (db === undefined) throw new Error('db was not resolved');
    expect(containerPlanFor(db, session).labels).toEqual({
      'devenv.testing': 'a1b2c3d4',
      'devenv.testing.owner': 'box 123 456',
      'devenv.testing.project': 'shop',
      'devenv.testing.name': 'db',
    });
  });

  it('reaches another dependency by its name on the network and starts after it', () => {
    if (worker === undefined) throw new Error('worker was not resolved');
    const plan = containerPlanFor(worker, session);
    expect(plan.env.DATABASE_URL).toBe('postgres://devenv:devenv@db:5432/app');
    expect(plan.command).toEqual(['sleep', '3600']);
    expect(plan.after).toEqual(['db']);
    expect(plan.wait.plan).toEqual({ kind: 'running' });
  });

  it('has the reserved host port in its host outputs', () => {
    expect(db?.outputs.host.url).toBe('postgres://devenv:devenv@127.0.0.1:45432/app');
  });
});
