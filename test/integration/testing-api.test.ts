import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEnvironment } from 'devenv/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { removeLabelled } from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { query } from '../support/pg-query.js';

const docker = testEngine();

/** A temporary repository with its own devenv.yaml and a unique project name. */
function repo(yaml: string): { dir: string; project: string } {
  const project = `it-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'devenv-it-testing-'));
  writeFileSync(join(dir, 'devenv.yaml'), `name: ${project}\n${yaml}`);
  return { dir, project };
}

/** What `devenv/testing` left on the engine for this project (by its own labels, not devenv's). */
async function leftovers(project: string) {
  const filters = { label: [`devenv.testing.project=${project}`] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return { containers, networks };
}

/**
 * A running container labelled as `devenv up`'s `db` of `project` (other sessions' environments on a
 * shared engine come and go, so the check is on one of this test's own): devenv/testing must leave it be.
 */
async function upContainer(project: string): Promise<string> {
  const container = await docker.createContainer({
    Image: 'redis:8',
    Cmd: ['sleep', 'infinity'],
    Labels: { 'devenv.project': project, 'devenv.env': 'default', 'devenv.name': 'db' },
  });
  await container.start();
  return container.id;
}

/**
 * A test process of its own: starts the environment of `dir` with a signal that SIGINT aborts (`abort`),
 * or starts and stops it (`stop`), prints how that ended, then does nothing more: it must exit by itself.
 */
const CHILD = `
const [dist, dir, mode] = process.argv.slice(1); // node -e SCRIPT ARGS…
const { startEnvironment } = await import(dist);
const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
try {
  const environment = await startEnvironment({ cwd: dir, signal: controller.signal });
  if (mode === 'stop') await environment.stop();
  console.log(JSON.stringify({ ended: mode === 'stop' ? 'stopped' : 'started' }));
} catch (error) {
  console.log(JSON.stringify({ ended: 'rejected', name: error.name, code: error.code, message: error.message }));
}
`;
const DIST = fileURLToPath(new URL('../../dist/testing/index.js', import.meta.url));

/** Runs CHILD; resolves with what it printed and how long it lived after printing it (killed after 15 s). */
function runChild(
  dir: string,
  mode: 'abort' | 'stop',
  onSpawn: (child: ChildProcess) => void = () => undefined,
): Promise<{ ended: Record<string, unknown> | undefined; exitCode: number | null; lingeredMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, DIST, dir, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let ended: Record<string, unknown> | undefined;
    let endedAt = Date.now();
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      ended = JSON.parse(text.trim()) as Record<string, unknown>;
      endedAt = Date.now();
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(kill);
      resolve({ ended, exitCode, lingeredMs: Date.now() - endedAt });
    });
    onSpawn(child);
  });
}

/** Sends a Redis PING over plain TCP and returns the first reply line. */
function redisPing(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write('PING\r\n'));
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer from redis within 5 s')));
    socket.once('data', (data) => {
      resolve(data.toString().trim());
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('devenv/testing on the real engine', () => {
  const created: { dir: string; project: string }[] = [];
  afterAll(async () => {
    for (const { dir, project } of created) {
      await removeLabelled(docker, { 'devenv.testing.project': project });
      await removeLabelled(docker, { 'devenv.project': project });
      for (const network of (await leftovers(project)).networks) await docker.getNetwork(network.Id).remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts postgres and redis from devenv.yaml, usable through their outputs, and removes them on stop() without touching devenv up's environments", async () => {
    const { dir, project } = repo(`
dependencies:
  db: { preset: postgres }
  cache: { preset: redis }
`);
    created.push({ dir, project });
    const sentinel = await upContainer(project);

    const environment = await startEnvironment({ cwd: dir });
    const { db, cache } = environment.env;
    expect(db?.url).toMatch(/^postgres:\/\/devenv:devenv@127\.0\.0\.1:\d+\/app$/);
    expect(environment.vars.DB_URL).toBe(db?.url);
    expect(await query(db?.url ?? '', 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await redisPing(cache?.host ?? '', Number(cache?.port))).toBe('+PONG');

    const { containers, networks } = await leftovers(project);
    expect(containers.map((container) => container.Labels['devenv.testing.name']).sort()).toEqual([
      'cache',
      'db',
    ]);
    expect(networks).toHaveLength(1);
    for (const container of containers) {
      // Not devenv's environment labels: `devenv up`/`down` never adopt or remove these.
      expect(container.Labels['devenv.project']).toBeUndefined();
      expect(container.Ports.every((port) => port.IP === undefined || port.IP === '127.0.0.1')).toBe(true);
      expect(container.Mounts.every((mount) => !mount.Name?.startsWith(project))).toBe(true);
    }
    const anonymousVolumes = containers.flatMap((container) =>
      container.Mounts.map((mount) => mount.Name ?? ''),
    );

    await environment.stop();
    await environment.stop(); // twice is fine
    expect(await leftovers(project)).toEqual({ containers: [], networks: [] });
    const volumes = (await docker.listVolumes()).Volumes ?? [];
    expect(volumes.filter((volume) => anonymousVolumes.includes(volume.Name))).toEqual([]);
    expect((await docker.getContainer(sentinel).inspect()).State.Running).toBe(true);
  });

  it('fails with IMAGE_NOT_FOUND for an image no registry has, leaving nothing behind', async () => {
    const { dir, project } = repo(`
dependencies:
  db: { preset: postgres }
  ghost:
    image: devenv-test-no-such-image:1
    ports: { main: 80 }
`);
    created.push({ dir, project });
    await expect(startEnvironment({ cwd: dir })).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      message: expect.stringContaining('devenv-test-no-such-image:1'),
    });
    expect(await leftovers(project)).toEqual({ containers: [], networks: [] });
  });

  it('fails a dependency that is not ready in time, naming it with its last lines, leaving nothing behind', async () => {
    const { dir, project } = repo(`
dependencies:
  cache:
    image: redis:8
    ports: { redis: 6379 }
    ready: { log: never printed, timeout: 2s }
`);
    created.push({ dir, project });
    const error = await startEnvironment({ cwd: dir }).then(
      () => undefined,
      (reason: unknown) => reason as Error & { code: string },
    );
    expect(error?.code).toBe('READINESS_TIMEOUT');
    expect(error?.message).toMatch(/^cache was not ready after 2s: waited for a log line matching/);
    expect(error?.message).toContain('Ready to accept connections');
    expect(await leftovers(project)).toEqual({ containers: [], networks: [] });
  });

  it('an aborted start rejects with InterruptedError, removes what it started and leaves nothing that keeps the process alive', async () => {
    // A readiness exec that the engine refused because its container was being removed used to leave
    // its request open, keeping the test process alive for seconds to minutes after the rejection (in
    // some runs only). Dependencies that never get ready keep their readiness execs (a command, the
    // in-container port checks) coming, so each abort lands on some.
    const neverReady = (name: string) =>
      `  ${name}: { image: redis:8, command: [sleep, infinity], ready: { command: "false", timeout: 60s } }`;
    for (let run = 0; run < 5; run++) {
      const { dir, project } = repo(`
dependencies:
${['a', 'b', 'c'].map(neverReady).join('\n')}
  d: { image: redis:8, command: [sleep, infinity], ports: { main: 6379 } }
`);
      created.push({ dir, project });
      const result = await runChild(dir, 'abort', (child) => {
        // Abort while the readiness waits run: a moment after the containers do, a little later each run.
        void (async () => {
          while (child.exitCode === null) {
            const running = await docker.listContainers({
              filters: { label: [`devenv.testing.project=${project}`], status: ['running'] },
            });
            if (running.length === 4) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          await new Promise((resolve) => setTimeout(resolve, 300 + run * 150));
          child.kill('SIGINT');
        })();
      });
      expect(result.ended).toMatchObject({
        ended: 'rejected',
        name: 'InterruptedError',
        code: 'INTERRUPTED',
      });
      expect(result.exitCode).toBe(0);
      expect(result.lingeredMs).toBeLessThan(2000);
      expect(await leftovers(project)).toEqual({ containers: [], networks: [] });
    }
  });

  it('a process that starts and stops an environment exits by itself', async () => {
    const { dir, project } = repo(`
dependencies:
  cache: { preset: redis }
`);
    created.push({ dir, project });
    const result = await runChild(dir, 'stop');
    expect(result.ended).toEqual({ ended: 'stopped' });
    expect(result.exitCode).toBe(0);
    expect(result.lingeredMs).toBeLessThan(2000);
    expect(await leftovers(project)).toEqual({ containers: [], networks: [] });
  });
});
