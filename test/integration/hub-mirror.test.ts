import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type Docker from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  execIn,
  imageExists,
  publishedPort,
  pullImage,
  removeImageReferences,
  removeLabelled,
} from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { HUB_ADDRESS, hubManifestDigest } from '../support/hub.js';
import { tarArchive } from '../support/tar.js';
import { waitFor } from '../support/wait.js';

// The offline image hub, seen from the engine: stand-in images are pulled under their Docker Hub names
// (through the engine's registry mirror) and honour the official images' contracts.

const LABELS = { 'devenv.test': 'hub-mirror' };
const RUN = randomBytes(4).toString('hex');
const PG = { user: 'shop', password: `secret-${RUN}`, database: 'shop_dev' };

const docker = testEngine();

// Runs once, on the first start of an empty data directory; a .sql and a .sh, as users write them.
const INIT_SCRIPTS = tarArchive([
  {
    name: '10-schema.sql',
    content: "CREATE TABLE seeded (source text NOT NULL);\nINSERT INTO seeded VALUES ('sql');\n",
  },
  {
    name: '20-seed.sh',
    content:
      '#!/bin/bash\nset -e\npsql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" ' +
      `-c "INSERT INTO seeded VALUES ('sh')"\n`,
    mode: 0o755,
  },
]);

async function startPostgres(volume: string, suffix: string): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: `devenv-test-hub-mirror-pg-${RUN}-${suffix}`,
    Image: 'postgres:17',
    Labels: LABELS,
    Env: [`POSTGRES_USER=${PG.user}`, `POSTGRES_PASSWORD=${PG.password}`, `POSTGRES_DB=${PG.database}`],
    ExposedPorts: { '5432/tcp': {} },
    HostConfig: {
      Binds: [`${volume}:/var/lib/postgresql/data`],
      PortBindings: { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
    },
  });
  await container.putArchive(INIT_SCRIPTS, { path: '/docker-entrypoint-initdb.d' });
  await container.start();
  return container;
}

/** Ready as a preset would judge it (pg_isready over TCP inside the container), then a real client. */
async function connectWhenReady(container: Docker.Container): Promise<pg.Client> {
  await waitFor(
    'pg_isready -h 127.0.0.1',
    async () => {
      const { State } = await container.inspect();
      if (!State.Running) throw new Error(`the container stopped (exit code ${State.ExitCode})`);
      const result = await execIn(container, ['pg_isready', '-h', '127.0.0.1', '-U', PG.user]);
      return result.exitCode === 0 ? true : undefined;
    },
    { timeoutMs: 90_000 },
  );
  const port = await publishedPort(container, '5432/tcp');
  return waitFor('a SQL connection through the published port', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port, ...PG, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  });
}

/** Sends one RESP command over TCP and returns the first reply line. */
function redisCommand(port: number, ...args: string[]): Promise<string> {
  const request = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(request));
    let reply = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no reply from redis within 5 s')));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const end = reply.indexOf('\r\n');
      if (end >= 0) {
        socket.end();
        resolve(reply.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`redis closed the connection (got "${reply}")`)));
  });
}

describe('the offline image hub, through the engine', () => {
  const clients: pg.Client[] = [];
  const volume = `devenv-test-hub-mirror-pgdata-${RUN}`;

  beforeAll(async () => {
    await removeLabelled(docker, LABELS); // leftovers of an interrupted run
    await docker.createVolume({ Name: volume, Labels: LABELS });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
    await removeLabelled(docker, LABELS);
  });

  it('pulls postgres:17 from the hub as the Docker Hub mirror after it is removed locally', async () => {
    const hubDigest = await hubManifestDigest('postgres:17');
    expect(hubDigest, 'the hub holds postgres:17').toMatch(/^sha256:[0-9a-f]{64}$/);

    await removeImageReferences(docker, ['postgres:17', `${HUB_ADDRESS}/library/postgres:17`]);
    expect(await imageExists(docker, 'postgres:17')).toBe(false);

    await pullImage(docker, 'postgres:17');

    const image = await docker.getImage('postgres:17').inspect();
    expect(image.RepoDigests).toContain(`postgres@${hubDigest}`);
    expect(image.Config.ExposedPorts).toHaveProperty('5432/tcp');
    expect(image.Config.Volumes).toHaveProperty('/var/lib/postgresql/data');
    expect(image.Config.Entrypoint).toEqual(['docker-entrypoint.sh']);
    expect(image.Config.Cmd).toEqual(['postgres']);
  });

  it('starts postgres:17, runs the initdb.d scripts and answers real SQL with password auth', async () => {
    const container = await startPostgres(volume, 'first');
    const client = await connectWhenReady(container);
    clients.push(client);

    const who = await client.query<{ user: string; db: string; version: string }>(
      'SELECT current_user AS user, current_database() AS db, current_setting($1) AS version',
      ['server_version_num'],
    );
    expect(who.rows[0]).toMatchObject({ user: PG.user, db: PG.database });
    expect(Number(who.rows[0]?.version)).toBeGreaterThanOrEqual(170_000);

    await client.query('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)');
    await client.query('INSERT INTO orders (item) VALUES ($1), ($2)', ['tea', 'cake']);
    const orders = await client.query<{ item: string }>('SELECT item FROM orders ORDER BY id');
    expect(orders.rows.map((row) => row.item)).toEqual(['tea', 'cake']);

    const seeded = await client.query<{ source: string }>('SELECT source FROM seeded ORDER BY source');
    expect(seeded.rows.map((row) => row.source)).toEqual(['sh', 'sql']);

    const port = await publishedPort(container, '5432/tcp');
    const intruder = new pg.Client({ host: '127.0.0.1', port, ...PG, password: 'wrong' });
    await expect(intruder.connect()).rejects.toThrow(/password authentication failed/);
    await intruder.end().catch(() => {});
  });

  it('keeps the data on its volume when the container is recreated, without rerunning initdb.d', async () => {
    const [first] = await docker.listContainers({
      all: true,
      filters: { label: ['devenv.test=hub-mirror'], name: [`devenv-test-hub-mirror-pg-${RUN}-first`] },
    });
    expect(first, 'the first container of the previous test').toBeDefined();
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await docker.getContainer(first?.Id ?? '').remove({ force: true });

    const client = await connectWhenReady(await startPostgres(volume, 'second'));
    clients.push(client);
    const orders = await client.query<{ item: string }>('SELECT item FROM orders ORDER BY id');
    expect(orders.rows.map((row) => row.item)).toEqual(['tea', 'cake']);
    const seeded = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM seeded');
    expect(seeded.rows[0]?.n).toBe(2);
  });

  it('pulls redis:8 from the hub and answers on a published port without a password', async () => {
    await pullImage(docker, 'redis:8');
    const container = await docker.createContainer({
      name: `devenv-test-hub-mirror-redis-${RUN}`,
      Image: 'redis:8',
      Labels: LABELS,
      ExposedPorts: { '6379/tcp': {} },
      HostConfig: { PortBindings: { '6379/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await container.start();

    await waitFor('redis-cli ping', async () => {
      const { stdout } = await execIn(container, ['redis-cli', 'ping']);
      return stdout.trim() === 'PONG' ? true : undefined;
    });
    const version = await execIn(container, ['redis-server', '--version']);
    expect(version.stdout).toMatch(/v=8\./);

    // From the host, through the published port: not loopback for the server, so protected mode is off.
    const port = await publishedPort(container, '6379/tcp');
    expect(await redisCommand(port, 'SET', 'greeting', `hello-${RUN}`)).toBe('+OK');
    const reply = await execIn(container, ['redis-cli', 'GET', 'greeting']);
    expect(reply.stdout.trim()).toBe(`hello-${RUN}`);
  });
});
