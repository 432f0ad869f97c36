import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIdentity, identifyProcess } from '../../src/process/process-identity.js';
import { containerIds, DevenvProject, labelled } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { query } from '../support/pg-query.js';

const docker = testEngine();

const quickstartDependencies = `
dependencies:
  db:
    preset: postgres
  cache:
    preset: redis
`;

describe('devenv up / down on the real engine (quickstart dependencies)', () => {
  const project = new DevenvProject(quickstartDependencies);
  afterAll(() => project.dispose(docker, ['feature/two']));

  it('up --detach brings Postgres and Redis to ready and returns 0', () => {
    const result = project.run(['up', '--detach']);
    expect(result.stderr).toContain('environment ready');
    expect(result.code).toBe(0);
    const status = JSON.parse(project.run(['status', '--json']).stdout) as {
      resources: { name: string; kind: string; state: string; ports: { host: number }[] }[];
    };
    expect(status.resources.map((r) => [r.name, r.kind, r.state])).toEqual([
      ['db', 'dependency', 'ready'],
      ['cache', 'dependency', 'ready'],
    ]);
    expect(status.resources.every((r) => r.ports.length === 1)).toBe(true);
  });

  it('keeps data across down + up, and drops it with down --volumes', async () => {
    const url = () => (JSON.parse(project.run(['env', '--json']).stdout) as { db: { url: string } }).db.url;
    await query(url(), 'CREATE TABLE orders (id int); INSERT INTO orders VALUES (42)');

    expect(project.run(['down']).code).toBe(0);
    expect((await labelled(docker, project.name)).containers).toEqual([]);
    expect(project.run(['up', '-d']).code).toBe(0);
    expect(await query(url(), 'SELECT id FROM orders')).toEqual([{ id: 42 }]);

    expect(project.run(['down', '--volumes']).code).toBe(0);
    expect(project.run(['up', '-d']).code).toBe(0);
    await expect(query(url(), 'SELECT id FROM orders')).rejects.toThrow(/orders/);
  });

  it('a second up with nothing changed does no container work', async () => {
    const before = await containerIds(docker, project.name);
    const since = Math.floor(Date.now() / 1000);
    const result = project.run(['up', '-d']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('plan: cache: keep; db: keep');
    expect(await containerIds(docker, project.name)).toEqual(before);
    const events = await containerEvents(project.name, since);
    expect(events.filter((action) => ['create', 'start', 'stop', 'destroy'].includes(action))).toEqual([]);
  });

  it('changing one dependency recreates exactly that one', async () => {
    const before = await containerIds(docker, project.name);
    project.write(`${quickstartDependencies}    env:\n      EXTRA_SETTING: "1"\n`);
    const result = project.run(['up', '-d']);
    expect(result.code).toBe(0);
    const after = await containerIds(docker, project.name);
    expect(after.db).toBe(before.db);
    expect(after.cache).not.toBe(before.cache);
    // The running supervisor watches devenv.yaml and may have applied the change before this `up`
    // asked: either way exactly one container was recreated.
    expect(result.stderr).toMatch(/cache: recreate|cache: keep/);
  });

  it('a dependency taken out of devenv.yaml is removed and leaves the status; putting it back restores it', async () => {
    const names = () =>
      (JSON.parse(project.run(['status', '--json']).stdout) as { resources: { name: string }[] }).resources
        .map((r) => r.name)
        .sort();
    project.write('dependencies:\n  db:\n    preset: postgres\n');
    const removed = project.run(['up', '-d']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(names()).toEqual(['db']);
    expect(Object.keys(await containerIds(docker, project.name))).toEqual(['db']);
    project.write(quickstartDependencies);
    const back = project.run(['up', '-d']);
    expect(back.code, back.stderr).toBe(0);
    expect(names()).toEqual(['cache', 'db']);
    expect(Object.keys(await containerIds(docker, project.name)).sort()).toEqual(['cache', 'db']);
  });

  it('exec runs a command inside a dependency and returns its exit code', () => {
    const ok = project.run(['exec', 'cache', '--', 'redis-cli', 'ping']);
    expect(ok.stdout.trim()).toBe('PONG');
    expect(ok.code).toBe(0);
    expect(project.run(['exec', 'cache', '--', 'sh', '-c', 'exit 3']).code).toBe(3);
    const unknown = project.run(['exec', 'cahce', '--', 'true']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean `cache`?');
  });

  it('restart restarts one dependency in place and waits until it is ready again', async () => {
    const before = await containerIds(docker, project.name);
    const result = project.run(['restart', 'cache']);
    expect(result.stdout).toMatch(/^cache restarted and ready in \d+\.\ds/);
    expect(result.code).toBe(0);
    expect(await containerIds(docker, project.name)).toEqual(before);
    const unknown = project.run(['restart', 'cahce']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cahce is not in');
    expect(unknown.stderr).toContain('did you mean `cache`?');
  });

  it('logs shows the dependencies interleaved, filtered with --grep, as JSON with --json', () => {
    const logs = project.run(['logs', 'cache', '--grep', 'ready to accept']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^cache \| .*[Rr]eady to accept connections/m);
    const json = project.run(['logs', '--json', '--since', '1h']).stdout.trim().split('\n');
    const first = JSON.parse(json[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual(['name', 'stream', 'text', 'time']);
  });

  it('runs a branch environment beside the default one with its own ports and volumes', async () => {
    const result = project.run(['up', '-d', '--branch', 'feature/two']);
    expect(result.code).toBe(0);
    const { containers } = await labelled(docker, project.name);
    expect(containers).toHaveLength(4);
    const ports = containers.flatMap((c) => c.Ports.map((p) => p.PublicPort));
    expect(new Set(ports).size).toBe(4);
    const volumes = (await labelled(docker, project.name)).volumes.map((v) => v.Name);
    expect(volumes.filter((name) => name.includes('feature-two'))).toHaveLength(2);
    expect(volumes.filter((name) => name.includes('-default-'))).toHaveLength(2);

    expect(project.run(['down', '--volumes', '--branch', 'feature/two']).code).toBe(0);
    const left = await labelled(docker, project.name);
    expect(left.containers).toHaveLength(2);
    expect(left.volumes.filter((v) => v.Name.includes('feature-two'))).toEqual([]);
  });

  it('down leaves no container or network of the environment, and --volumes no volume', async () => {
    expect(project.run(['down']).code).toBe(0);
    let left = await labelled(docker, project.name, 'default');
    expect(left.containers).toEqual([]);
    expect(left.networks).toEqual([]);
    expect(left.volumes).toHaveLength(2);
    expect(project.run(['down', '--volumes']).code).toBe(0);
    left = await labelled(docker, project.name, 'default');
    expect(left.volumes).toEqual([]);
  });
});

describe('the supervisor', () => {
  const project = new DevenvProject(`
dependencies:
  cache:
    preset: redis
`);
  afterAll(() => project.dispose(docker));

  it('a killed supervisor is detected and the next up adopts the running containers', async () => {
    expect(project.run(['up', '-d']).code).toBe(0);
    const before = await containerIds(docker, project.name);
    const pid = project.supervisorPid();
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !alive(pid));

    const result = project.run(['up', '-d']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('plan: cache: keep');
    expect(await containerIds(docker, project.name)).toEqual(before);
  });

  it('a second up while one runs attaches instead of starting twice', () => {
    const pid = project.supervisorPid();
    const result = project.run(['up', '-d']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`attached to ${project.name}/default (supervisor pid ${pid})`);
  });

  it('up in another folder with the same project name refuses to attach to this one', () => {
    const twin = new DevenvProject(quickstartDependencies);
    try {
      writeFileSync(join(twin.dir, 'devenv.yaml'), `name: ${project.name}\n${quickstartDependencies}`);
      twin.env = { DEVENV_STATE_DIR: project.stateDir };
      const result = twin.run(['up', '-d']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${project.name}/default already runs from ${project.dir}`);
      expect(result.stderr).toContain('its own `name:`');
    } finally {
      rmSync(twin.dir, { recursive: true, force: true });
      rmSync(twin.stateDir, { recursive: true, force: true });
    }
  });

  it('Ctrl-C while attached stops the supervisor, says which dependencies keep running, exits 130', async () => {
    project.run(['down']);
    const up = project.start(['up']);
    await waitUntil(() => up.output().includes('Press Ctrl-C'), 60_000);
    const pid = project.supervisorPid();
    up.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => up.once('exit', resolve));
    expect(code).toBe(130);
    expect(up.output()).toContain('Dependencies keep running for a fast next start: cache');
    await waitUntil(() => !alive(pid));
    const { containers } = await labelled(docker, project.name);
    expect(containers.map((c) => c.State)).toEqual(['running']);
  });

  it('up waits for a supervisor that holds the lock but does not answer yet (still stopping), then starts one', async () => {
    project.run(['down']);
    // This test process stands in for a supervisor between closing its socket and releasing its lock:
    // up must wait for the lock to go rather than start a second one or give up.
    const pidFile = project.supervisorPidFile();
    mkdirSync(dirname(pidFile), { recursive: true });
    writeFileSync(pidFile, `${formatIdentity(await identifyProcess(process.pid))}\n`);
    const up = project.start(['up', '-d']);
    await sleep(1_500);
    expect(up.exitCode, up.output()).toBeNull();
    rmSync(pidFile);
    const code = await new Promise<number | null>((resolve) => up.once('exit', resolve));
    expect(code, up.output()).toBe(0);
    expect(up.output()).toContain(`starting ${project.name}/default`);
  });
});

async function containerEvents(project: string, since: number): Promise<string[]> {
  const stream = (await docker.getEvents({
    since,
    until: Math.floor(Date.now() / 1000) + 1,
    filters: { type: ['container'], label: [`devenv.project=${project}`] },
  })) as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { Action: string }).Action);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
