import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors/devenv-error.js';
import type { ContainerSpec, LabelFilter } from '../../src/runtime/container-spec.js';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import type { EngineEvent, LogLine } from '../../src/runtime/runtime-streams.js';
import { testEngine } from '../support/engine.js';
import { waitFor } from '../support/wait.js';

// The container runtime against the real engine: everything it creates carries these labels, and
// afterAll removes exactly what carries them (the engine is shared with other tests and people).
const RUN = randomBytes(4).toString('hex');
const PROJECT = `rt-${RUN}`;
const OURS: LabelFilter = { 'devenv.test': 'runtime', 'devenv.project': PROJECT };
const labels = (name: string) => ({
  'devenv.test': 'runtime',
  'devenv.project': PROJECT,
  'devenv.env': 'main',
  'devenv.name': name,
  'devenv.config-hash': 'h1',
});
const NETWORK = `devenv-${PROJECT}-main`;
const VOLUME = `devenv-${PROJECT}-main-cache-data`;

const runtime = new DockerRuntime();
const oracle = testEngine();

function redisSpec(name: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name: `devenv-${PROJECT}-${name}`, image: 'redis:8', labels: labels(name), ...extra };
}

async function expectError(promise: Promise<unknown>, code: string): Promise<ExternalError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExternalError);
  expect((error as ExternalError).code).toBe(code);
  return error as ExternalError;
}

async function cleanUp(): Promise<void> {
  for (const c of await runtime.listContainers(OURS)) await runtime.removeContainer(c.id, { force: true });
  for (const n of await runtime.listNetworks(OURS)) await runtime.removeNetwork(n.id);
  for (const v of await runtime.listVolumes(OURS)) await runtime.removeVolume(v.name);
}

beforeAll(async () => {
  if (!(await runtime.imageExists('redis:8'))) await runtime.pullImage('redis:8');
});

afterAll(cleanUp);

describe('DockerRuntime with containers', () => {
  it('runs a labelled dependency on its own network and volume, then leaves nothing behind', async () => {
    const network = await runtime.ensureNetwork(NETWORK, labels('network'));
    expect((await runtime.ensureNetwork(NETWORK, labels('network'))).id).toBe(network.id);
    const volume = await runtime.ensureVolume(VOLUME, labels('cache-data'));
    expect(volume.labels['devenv.project']).toBe(PROJECT);

    const watching = new AbortController();
    const seen: EngineEvent[] = [];
    const watched = (async () => {
      for await (const event of runtime.events({ filter: OURS, signal: watching.signal })) seen.push(event);
    })();

    const created = await runtime.createContainer(
      redisSpec('cache', {
        network: { name: NETWORK, aliases: ['cache'] },
        ports: [{ container: 6379 }],
        mounts: [{ kind: 'volume', volume: VOLUME, target: '/data' }],
        healthcheck: { test: ['CMD', 'redis-cli', 'ping'], intervalMs: 300, timeoutMs: 2000, retries: 20 },
        stopTimeoutSec: 5,
      }),
    );
    // The engine only tracks health once the container runs.
    expect(created).toMatchObject({ state: 'created', health: 'none', labels: labels('cache') });
    await runtime.startContainer(created.id);

    const running = await waitFor('cache to be healthy', async () => {
      const c = await runtime.inspectContainer(created.id);
      return c?.health === 'healthy' ? c : undefined;
    });
    expect(running.state).toBe('running');
    const [port] = running.ports;
    expect(port).toMatchObject({ container: 6379, protocol: 'tcp', hostIp: '127.0.0.1' });
    expect(await redisPing(port?.host ?? 0)).toBe('+PONG');

    expect(await runtime.exec(created.id, ['redis-cli', 'ping'])).toEqual({
      exitCode: 0,
      stdout: 'PONG\n',
      stderr: '',
    });
    expect(await runtime.exec(created.id, ['sh', '-c', 'echo out; echo oops >&2; exit 3'])).toEqual({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'oops\n',
    });
    expect((await runtime.exec(created.id, ['cat'], { stdin: 'from stdin' })).stdout).toBe('from stdin');

    // A second container reaches the first by its alias on the environment's network.
    const client = await runtime.createContainer(
      redisSpec('client', { network: { name: NETWORK }, cmd: ['redis-server', '--port', '6380'] }),
    );
    await runtime.startContainer(client.id);
    const byName = await runtime.exec(client.id, ['redis-cli', '-h', 'cache', 'ping']);
    expect(byName.stdout).toBe('PONG\n');
    // The image declares VOLUME /data: the engine gave this container an anonymous volume.
    const anonymous = (await oracle.getContainer(client.id).inspect()).Mounts.find(
      (m) => m.Destination === '/data',
    );
    expect(anonymous?.Name).toBeTruthy();

    const lines: LogLine[] = [];
    for await (const line of runtime.logs(created.id)) lines.push(line);
    expect(lines.some((l) => l.stream === 'stdout' && /Ready to accept connections/.test(l.text))).toBe(true);
    expect(lines.every((l) => !l.text.includes('\n') && l.timestamp.getTime() > 0)).toBe(true);
    expect(await collect(runtime.logs(created.id, { tail: 2 }))).toHaveLength(2);

    await runtime.stopContainer(created.id, 5);
    await runtime.stopContainer(created.id, 5); // a stopped container stops without complaint
    const stopped = await runtime.inspectContainer(created.id);
    expect(stopped?.state).toBe('exited');
    expect(stopped?.exitCode).toBe(0);

    await waitFor('start and die events', async () =>
      seen.some((e) => e.action === 'die' && e.id === created.id) ? true : undefined,
    );
    watching.abort();
    await watched;
    const cacheEvents = seen.filter((e) => e.id === created.id);
    expect(cacheEvents.map((e) => e.action)).toEqual(
      expect.arrayContaining(['create', 'start', 'health_status', 'die']),
    );
    expect(cacheEvents.find((e) => e.action === 'health_status')?.health).toBe('healthy');
    expect(cacheEvents.find((e) => e.action === 'die')).toMatchObject({
      exitCode: 0,
      name: created.name,
      labels: labels('cache'),
    });

    for (const c of await runtime.listContainers(OURS)) await runtime.removeContainer(c.id, { force: true });
    await runtime.removeContainer(created.id); // gone already: no error
    await runtime.removeNetwork(NETWORK);
    // The data volume survives its container; only an explicit removal deletes it.
    expect((await runtime.listVolumes(OURS)).map((v) => v.name)).toEqual([VOLUME]);
    await runtime.removeVolume(VOLUME);

    expect(await runtime.listContainers(OURS)).toEqual([]);
    expect(await runtime.listNetworks(OURS)).toEqual([]);
    expect(await runtime.listVolumes(OURS)).toEqual([]);
    // Independently of the runtime's own listing: the engine holds nothing labelled for this run.
    const filters = { label: [`devenv.project=${PROJECT}`] };
    expect(await oracle.listContainers({ all: true, filters })).toEqual([]);
    expect(await oracle.listNetworks({ filters })).toEqual([]);
    await expect(oracle.getVolume(anonymous?.Name ?? '').inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('follows logs until aborted', async () => {
    const spec = redisSpec('talker', {
      entrypoint: [
        'sh',
        '-c',
        'i=0; while true; do i=$((i+1)); echo "line $i"; echo "err $i" >&2; sleep 0.1; done',
      ],
    });
    const { id } = await runtime.createContainer(spec);
    await runtime.startContainer(id);
    const controller = new AbortController();
    const lines: LogLine[] = [];
    for await (const line of runtime.logs(id, { follow: true, signal: controller.signal })) {
      lines.push(line);
      if (lines.length === 10) controller.abort();
    }
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toContain('line 1');
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toContain('err 1');
    await runtime.removeContainer(id, { force: true });
  });

  it('runs interactive commands with piped input, and with a resizable terminal', async () => {
    const { id } = await runtime.createContainer(redisSpec('shell'));
    await runtime.startContainer(id);

    const piped = sink();
    const errors = sink();
    const stdin = new PassThrough();
    const session = await runtime.execInteractive(id, ['sh', '-c', 'cat; echo done >&2; exit 4'], {
      tty: false,
      stdin,
      stdout: piped.stream,
      stderr: errors.stream,
    });
    stdin.write('typed ');
    stdin.end('line\n');
    expect(await session.exited).toBe(4);
    expect(piped.text()).toBe('typed line\n');
    expect(errors.text()).toBe('done\n');

    const terminal = sink();
    // API 1.41 engines size the terminal just after the start: the command waits a moment first.
    const tty = await runtime.execInteractive(
      id,
      ['sh', '-c', 'sleep 0.2; stty size; sleep 0.8; stty size'],
      {
        tty: true,
        size: { columns: 100, rows: 30 },
        stdout: terminal.stream,
        stderr: sink().stream,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await tty.resize({ columns: 120, rows: 40 });
    expect(await tty.exited).toBe(0);
    expect(terminal.text().split(/\r?\n/).filter(Boolean)).toEqual(['30 100', '40 120']);
  });

  it('names a busy host port and what holds it', async () => {
    const server = await listen();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const { id } = await runtime.createContainer(
        redisSpec('busy', { ports: [{ container: 6379, host: port }] }),
      );
      const error = await expectError(runtime.startContainer(id), 'PORT_BUSY');
      expect(error.message).toContain(String(port));
      expect(error.message).toContain('another process on this machine');
      await runtime.removeContainer(id, { force: true });
    } finally {
      server.close();
    }

    const holder = await runtime.createContainer(redisSpec('holder', { ports: [{ container: 6379 }] }));
    await runtime.startContainer(holder.id);
    const taken = (await runtime.inspectContainer(holder.id))?.ports[0]?.host ?? 0;
    const { id } = await runtime.createContainer(
      redisSpec('second', { ports: [{ container: 6379, host: taken }] }),
    );
    const error = await expectError(runtime.startContainer(id), 'PORT_BUSY');
    expect(error.message).toContain(String(taken));
    expect(error.message).toContain(`container "${holder.name}" (devenv ${PROJECT}/main)`);
  });

  it('refuses a taken name and an image that is not on the engine', async () => {
    await runtime.createContainer(redisSpec('twin'));
    const conflict = await expectError(runtime.createContainer(redisSpec('twin')), 'NAME_CONFLICT');
    expect(conflict.message).toContain(`devenv-${PROJECT}-twin`);
    const missing = await expectError(
      runtime.createContainer(redisSpec('ghost', { image: `devenv-test/absent-${RUN}:1` })),
      'IMAGE_NOT_FOUND',
    );
    expect(missing.message).toContain(`devenv-test/absent-${RUN}:1`);
    expect(await runtime.inspectContainer(`devenv-${PROJECT}-nobody`)).toBeUndefined();
  });

  it('does not adopt a network that is not labelled as ours', async () => {
    const name = `devenv-${PROJECT}-foreign`;
    await runtime.ensureNetwork(name, labels('foreign'));
    await expectError(
      runtime.ensureNetwork(name, { ...labels('foreign'), 'devenv.env': 'other' }),
      'NAME_CONFLICT',
    );
  });

  it('reports an unreachable engine with ENGINE_UNREACHABLE', async () => {
    const nowhere = new DockerRuntime({ DOCKER_HOST: `unix:///tmp/devenv-no-engine-${RUN}.sock` });
    const error = await expectError(nowhere.listContainers(OURS), 'ENGINE_UNREACHABLE');
    expect(error.message).toContain(`devenv-no-engine-${RUN}.sock`);
    await expectError(nowhere.ping(), 'ENGINE_UNREACHABLE');
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function sink(): { stream: PassThrough; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().trim());
      socket.end();
    });
    socket.once('error', reject);
  });
}
