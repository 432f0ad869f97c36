import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerIds, DevenvProject, labelled } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { freePort } from '../support/http.js';

const docker = testEngine();

describe('devenv up failure paths (real engine)', () => {
  const projects: DevenvProject[] = [];
  /** A project with local-process services, and a router port of its own (not the machine's). */
  const servicesProject = async (yaml: string): Promise<DevenvProject> => {
    const created = project(yaml);
    created.env = { DEVENV_ROUTER_PORT: String(await freePort()) };
    return created;
  };
  const project = (yaml: string): DevenvProject => {
    const created = new DevenvProject(yaml);
    projects.push(created);
    return created;
  };
  afterAll(async () => {
    for (const created of projects) await created.dispose(docker);
  });

  it('an image that does not exist fails with a message naming it, and leaves no container', async () => {
    const missing = project(`
dependencies:
  search:
    image: devenv-test/does-not-exist:1.0
`);
    const result = missing.run(['up', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('devenv-test/does-not-exist:1.0');
    expect(result.stderr).toMatch(/not found/i);
    expect(result.stderr).toContain('search');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await labelled(docker, missing.name)).containers).toEqual([]);
  });

  it('status and down still work on a running environment after a bad edit of devenv.yaml, and say so', async () => {
    const running = project(`
dependencies:
  cache:
    preset: redis
`);
    expect(running.run(['up', '-d']).code).toBe(0);
    running.write(`
dependencies:
  cache:
    preset: redis
    prot: 1
    env: { PASSWORD: \${NOT_SET_ANYWHERE} }
`);
    expect(running.run(['validate']).code).toBe(2);
    const status = running.run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toContain(
      `devenv.yaml has problems (\`devenv validate\` lists them); showing what runs`,
    );
    expect(JSON.parse(status.stdout)).toMatchObject({
      project: running.name,
      resources: [{ name: 'cache', kind: 'dependency', state: 'ready' }],
    });
    const down = running.run(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(
      `devenv.yaml has problems (\`devenv validate\` lists them); stopping ${running.name}/default`,
    );
    expect(down.stdout).toContain(`Removed 1 container, 1 network of ${running.name}/default`);
    expect((await labelled(docker, running.name)).containers).toEqual([]);
  });

  it('a service that exits before it is ready fails up -d at once, naming it, and down does not hang', async () => {
    const quick = await servicesProject(`
services:
  quick:
    run: sh -c 'echo hi'
    port: ${await freePort()}
    ready: { http: / }
`);
    const up = quick.run(['up', '-d'], 60_000);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).toContain('quick is stopped: exited with code 0');
    const down = quick.run(['down'], 30_000);
    expect(down.code, down.stderr).toBe(0);
  });

  it('a process service whose port another program holds is not started, and up -d names the holder', async () => {
    const holder = createServer((socket) => socket.end('OTHER'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const app = await servicesProject(`
services:
  api:
    run: node -e "require('node:http').createServer((_, r) => r.end('api')).listen(process.env.PORT)"
    port: ${port}
    ready: { http: / }
`);
      const up = app.run(['up', '-d'], 60_000);
      expect(up.code, up.stderr).toBe(1);
      expect(up.stderr).toContain(`api is failed: port ${port} is already in use by`);
      expect(up.stderr).toContain('give api another port in devenv.yaml');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('depends_on completed waits for a one-shot task to end with 0, and a failing one stops what waits for it', async () => {
    const tasks = await servicesProject(`
services:
  migrate:
    run: sh -c 'sleep 1; echo migrated > migrated.txt'
    restart: "no"
  api:
    run: sh -c 'cat migrated.txt && sleep 100'
    depends_on: { migrate: completed }
`);
    const up = tasks.run(['up', '-d'], 60_000);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/migrate +stopped exited with code 0[^\n]*\n(.*\n)*.*api +starting/);
    expect(tasks.run(['logs', 'api']).stdout).toContain('migrated');

    tasks.write(`
services:
  migrate:
    run: sh -c 'exit 3'
    restart: "no"
  api:
    run: sh -c 'sleep 100'
    depends_on: { migrate: completed }
`);
    const failed = tasks.run(['up', '-d'], 60_000);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('api is failed: migrate did not complete successfully');
  });

  it('restart of a service that never started says why it is not running', async () => {
    const app = await servicesProject(`
services:
  api:
    run: sh -c 'exit 1'
    restart: "no"
    port: ${await freePort()}
    ready: { http: / }
  web:
    run: sh -c 'sleep 100'
    depends_on: { api: healthy }
`);
    expect(app.run(['up', '-d'], 60_000).code).toBe(1);
    const restart = app.run(['restart', 'web']);
    expect(restart.code).toBe(1);
    expect(restart.stderr).toContain('web is not running (failed: api did not become ready).');
    expect(restart.stderr).not.toContain('is not a dependency or service');
  });

  it('Ctrl-C while a service waits to become ready stops it, without waiting for its readiness timeout', async () => {
    const slow = await servicesProject(`
services:
  slow:
    run: sh -c 'echo waiting; sleep 100'
    port: ${await freePort()}
    ready: { http: /, timeout: 600s }
`);
    const up = slow.start(['up']);
    await waitFor(() => up.output().includes('waiting'), 60_000);
    // Waiting for the 600 s readiness timeout, as before, would run past the test's own time limit.
    up.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => up.once('exit', resolve));
    expect(code, up.output()).toBe(130);
  });

  it('a dependency that never becomes ready times out naming it, what was checked, and its last lines', () => {
    const stuck = project(`
dependencies:
  cache:
    preset: redis
    ready:
      command: redis-cli -p 6390 ping
      interval: 250ms
      timeout: 3s
`);
    const result = stuck.run(['up', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cache was not ready after 3s');
    expect(result.stderr).toContain('`redis-cli -p 6390 ping` in the container');
    // Its last lines under its status, as for any resource that is not ready.
    expect(result.stderr).toMatch(
      /cache is failed: cache was not ready after 3s.*\n( {2}│ .*\n)* {2}│ .*Ready to accept connections/,
    );
  });

  it('a busy fixed host port is refused before anything starts, naming what holds it', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const busy = project(`
dependencies:
  cache:
    preset: redis
    ports:
      redis: { container: 6379, host: ${port} }
`);
      const result = busy.run(['up', '-d']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Host port ${port} is already in use by`);
      expect(result.stderr).toContain(`(pid ${process.pid})`);
      expect((await labelled(docker, busy.name)).containers).toEqual([]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('a broken build of one service fails only it: the rest starts, devenv.yaml edits apply, up -d names it', async () => {
    const app = await servicesProject(`
services:
  web:
    run: sh -c 'echo web-one; sleep 100'
  worker:
    run: sh -c 'echo worker-one; sleep 100'
  api:
    build: ./api
`);
    mkdirSync(join(app.dir, 'api'));
    writeFileSync(join(app.dir, 'api', 'Dockerfile'), 'FROM redis:8\n');
    try {
      const first = app.run(['up', '-d', 'web', 'api'], 120_000);
      expect(first.code, first.stderr).toBe(0);
      const before = await containerIds(docker, app.name);
      // A broken edit no watch rule covers: the next `up` rebuilds api, and the build fails.
      writeFileSync(join(app.dir, 'api', 'Dockerfile'), 'FROM redis:8\nRUN false\n');

      const up = app.run(['up', '-d', 'worker'], 120_000);
      expect(up.code, up.stderr).toBe(1);
      expect(up.stderr).toMatch(/api is failed: Building \S+ failed/);
      const status = app.run(['status']).stdout;
      expect(status).toMatch(/worker +service +ready/);
      expect(status).toMatch(/web +service +ready/);
      // The image is built before the old container is replaced: a failed build leaves it serving.
      expect(await containerIds(docker, app.name)).toEqual(before);

      app.write(`
services:
  web:
    run: sh -c 'echo web-two; sleep 100'
  worker:
    run: sh -c 'echo worker-one; sleep 100'
  api:
    build: ./api
`);
      await waitFor(() => app.run(['logs', 'web']).stdout.includes('web-two'), 60_000);
    } finally {
      await docker
        .getImage(`devenv/${app.name}-api:default`)
        .remove({ force: true })
        // Not built when the first `up` failed; the test's own failure is the one to report.
        .catch(() => undefined);
    }
  });

  it('a derived host port that is busy is replaced by a free one, which then stays the same', async () => {
    const moved = project(`
dependencies:
  cache:
    preset: redis
`);
    const planned = (JSON.parse(moved.run(['env', '--json']).stdout) as { cache: { port: string } }).cache
      .port;
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(Number(planned), '127.0.0.1', resolve));
    try {
      expect(moved.run(['up', '-d']).code).toBe(0);
      const chosen = (JSON.parse(moved.run(['env', '--json']).stdout) as { cache: { port: string } }).cache
        .port;
      expect(chosen).not.toBe(planned);
      expect(moved.run(['down']).code).toBe(0);
      expect(moved.run(['up', '-d']).code).toBe(0);
      expect(
        (JSON.parse(moved.run(['env', '--json']).stdout) as { cache: { port: string } }).cache.port,
      ).toBe(chosen);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('the engine going away mid-up gives a clear error, and the next up recovers', async () => {
    const proxyPath = join(project('').dir, 'engine.sock');
    const flaky = project(`
dependencies:
  db:
    preset: postgres
`);
    flaky.env = { DOCKER_HOST: `unix://${proxyPath}` };
    let proxy = await startEngineProxy(proxyPath);

    const up = flaky.start(['up', '-d']);
    await waitFor(() => up.output().includes('db         starting'), 60_000);
    await proxy.stop();
    const code = await new Promise<number | null>((resolve) => up.once('exit', resolve));
    expect(code).toBe(1);
    expect(up.output()).toMatch(/Docker engine at unix:\/\/.*engine\.sock did not answer/);
    expect(up.output()).not.toMatch(/\n\s+at /);

    proxy = await startEngineProxy(proxyPath);
    try {
      const again = await flaky.runAsync(['up', '-d']);
      expect(again.stderr).toContain('environment ready');
      expect(again.code).toBe(0);
      expect((await labelled(docker, flaky.name)).containers).toHaveLength(1);
    } finally {
      flaky.env = {};
      await proxy.stop();
    }
  });
});

/** A stand-in engine endpoint that forwards to the real one and can be cut off like a stopped daemon. */
async function startEngineProxy(path: string): Promise<{ stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect('/var/run/docker.sock');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
