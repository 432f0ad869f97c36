import { mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevenvProject } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { freePort, get, waitFor } from '../support/http.js';

const docker = testEngine();

/** A server that says which version of its code and which process answered. */
const server = (version: string) => `
require('node:http')
  .createServer((_, res) => res.end('${version} ' + process.pid + ' ' + (process.env.GREETING ?? '')))
  .listen(process.env.PORT, '127.0.0.1', () => console.log('listening ${version}'));
`;

/** One local-process service `api` on `port`, restarted when `watched` changes. */
const watchedApi = (port: number, watched: string) => `
services:
  api:
    run: node server.js
    port: ${port}
    ready: { http: / }
    watch:
      - paths: ${watched}
        action: restart
`;

interface Status {
  resources: {
    name: string;
    state: string;
    restarts: number;
    detail: string | null;
    lastReloadMs?: number | null;
  }[];
}

describe('local-process services (real processes, real engine)', () => {
  const projects: DevenvProject[] = [];
  afterAll(async () => {
    for (const project of projects) await project.dispose(docker);
  });

  async function project(files: Record<string, string>, yaml: (port: number) => string) {
    const port = await freePort();
    const created = new DevenvProject(yaml(port));
    created.env = { DEVENV_ROUTER_PORT: String(await freePort()) };
    projects.push(created);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(created.dir, name), text);
    return { project: created, url: `http://127.0.0.1:${port}/` };
  }

  const statusOf = (project: DevenvProject, name: string) =>
    (JSON.parse(project.run(['status', '--json']).stdout) as Status).resources.find((r) => r.name === name);

  it('an edit restarts the service into its warm-start spare: the next response carries the new code, the old process is gone, and down leaves no process behind', async () => {
    const { project: app, url } = await project({ 'server.js': server('v1') }, (port) =>
      watchedApi(port, 'server.js'),
    );
    expect(app.run(['up', '-d']).code).toBe(0);
    const [first, oldPid] = (await get(url)).split(' ');
    expect(first).toBe('v1');
    // The spare: the same `sh -c 'node server.js'` in the same folder, paused before server.js runs.
    let spare: number[] = [];
    await waitFor(async () => {
      spare = serverProcesses(app.dir).filter((pid) => groupOf(pid) !== groupOf(Number(oldPid)));
      return spare.length > 0;
    }, 5_000);

    writeFileSync(join(app.dir, 'server.js'), server('v2'));
    await waitFor(async () => (await get(url).catch(() => '')).startsWith('v2'));
    await waitFor(async () => !alive(Number(oldPid)), 5_000);
    await waitFor(async () => typeof statusOf(app, 'api')?.lastReloadMs === 'number');
    expect(statusOf(app, 'api')).toMatchObject({ state: 'ready' });

    const [, newPid] = (await get(url)).split(' ');
    expect(spare).toContain(Number(newPid));
    // The next spare is there before down, so down has one to end.
    await waitFor(async () => serverProcesses(app.dir).some((pid) => !spare.includes(pid)), 5_000);
    expect(app.run(['down']).code).toBe(0);
    expect(alive(Number(newPid))).toBe(false);
    expect(alive(Number(oldPid))).toBe(false);
    expect(serverProcesses(app.dir)).toEqual([]);
  });

  it('a killed supervisor leaves no spare behind (its stdin closes), and the next up or down ends the groups it listed', async () => {
    const { project: app, url } = await project({ 'server.js': server('v1') }, (port) =>
      watchedApi(port, 'server.js'),
    );
    expect(app.run(['up', '-d']).code).toBe(0);
    const [, servicePid] = (await get(url)).split(' ');
    const serviceGroup = groupOf(Number(servicePid));
    const groupsFile = join(dirname(app.supervisorPidFile()), 'process-groups.json');
    let spare: number[] = [];
    await waitFor(async () => {
      spare = serverProcesses(app.dir).filter((pid) => groupOf(pid) !== serviceGroup);
      return spare.length > 0;
    }, 5_000);
    const groups = () =>
      (JSON.parse(readFileSync(groupsFile, 'utf8')) as { pid: number }[]).map((group) => group.pid);
    await waitFor(async () => groups().includes(groupOf(spare[0] ?? 0)), 5_000);
    expect(groups()).toContain(serviceGroup);

    process.kill(app.supervisorPid(), 'SIGKILL');
    await waitFor(async () => spare.every((pid) => !alive(pid)), 5_000);
    // The service itself outlives it (holding its port) until the next supervisor ends the groups listed.
    expect(alive(Number(servicePid))).toBe(true);
    const next = app.run(['up', '-d']);
    expect(next.code, next.stderr).toBe(0);
    expect(alive(Number(servicePid))).toBe(false);
    const [, nextPid] = (await get(url)).split(' ');
    expect(Number(nextPid)).not.toBe(Number(servicePid));
    // Killed again, then down: down ends what the killed supervisor left running.
    process.kill(app.supervisorPid(), 'SIGKILL');
    const down = app.run(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('left by a previous supervisor');
    expect(alive(Number(nextPid))).toBe(false);
  });

  it('a burst of 200 writes in 100 ms restarts the service once', async () => {
    const { project: app, url } = await project({ 'server.js': server('v1') }, (port) =>
      watchedApi(port, 'src'),
    );
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(app.dir, 'src'));
    expect(app.run(['up', '-d']).code).toBe(0);
    const started = Date.now();
    for (let i = 0; Date.now() - started < 100 || i < 200; i++) {
      if (i >= 200) break;
      writeFileSync(join(app.dir, 'src', `file-${i % 20}.txt`), String(i));
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await get(url);
    const logs = app.run(['logs', 'api']).stdout;
    const listening = logs.split('\n').filter((line) => line.includes('listening v1'));
    expect(listening, logs).toHaveLength(2);
  });

  it('a service that crashes on start is shown crash-looping, and fixing the file recovers it', async () => {
    const { project: app, url } = await project(
      { 'server.js': 'console.error("boom: missing config"); process.exit(3);\n' },
      (port) => watchedApi(port, 'server.js'),
    );
    const up = app.run(['up', '-d']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('boom: missing config');
    await waitFor(async () => statusOf(app, 'api')?.detail?.includes('crash loop') ?? false);
    expect(statusOf(app, 'api')?.restarts).toBeGreaterThanOrEqual(2);

    writeFileSync(join(app.dir, 'server.js'), server('fixed'));
    await waitFor(async () => (await get(url).catch(() => '')).startsWith('fixed'));
    expect(statusOf(app, 'api')?.state).toBe('ready');
  });

  it('editing .env or an env_files file restarts only the services that use the changed variable', async () => {
    const ports = [await freePort(), await freePort()];
    const app = new DevenvProject(`
env_files: [config/shared.env]
services:
  greeter:
    run: node server.js
    port: ${ports[0]}
    env: { GREETING: "\${GREETING}" }
    ready: { http: / }
  other:
    run: node server.js
    port: ${ports[1]}
    env: { GREETING: "\${SHARED_GREETING}" }
    ready: { http: / }
`);
    app.env = { DEVENV_ROUTER_PORT: String(await freePort()) };
    projects.push(app);
    const [greeterUrl, otherUrl] = [`http://127.0.0.1:${ports[0]}/`, `http://127.0.0.1:${ports[1]}/`];
    writeFileSync(join(app.dir, 'server.js'), server('v1'));
    writeFileSync(join(app.dir, '.env'), 'GREETING=hello\nUNUSED=1\n');
    mkdirSync(join(app.dir, 'config'));
    writeFileSync(join(app.dir, 'config/shared.env'), 'SHARED_GREETING=one\n');
    expect(app.run(['up', '-d']).code).toBe(0);
    const before = [await get(greeterUrl), await get(otherUrl)];
    expect(before[0]).toMatch(/ hello$/);
    expect(before[1]).toMatch(/ one$/);

    writeFileSync(join(app.dir, '.env'), 'GREETING=bonjour\nUNUSED=2\n');
    await waitFor(async () => (await get(greeterUrl).catch(() => '')).endsWith(' bonjour'));
    expect(await get(otherUrl)).toBe(before[1]);

    // Listed in env_files: picked up the same way (it was never watched before).
    const greeter = await get(greeterUrl);
    writeFileSync(join(app.dir, 'config/shared.env'), 'SHARED_GREETING=two\n');
    await waitFor(async () => (await get(otherUrl).catch(() => '')).endsWith(' two'));
    expect(await get(greeterUrl)).toBe(greeter);

    // The shell of the next `up` wins over .env (as for the first one), though the supervisor runs on.
    app.env = { ...app.env, GREETING: 'hola' };
    expect(app.run(['up', '-d']).code).toBe(0);
    expect(await get(greeterUrl)).toMatch(/ hola$/);
    expect(await get(otherUrl)).toMatch(/ two$/);
  });
});

/** Live processes running `server.js` in `dir`: the service, its shell, and its warm-start spare. */
function serverProcesses(dir: string): number[] {
  const real = realpathSync(dir);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('server.js') && readlinkSync(`/proc/${pid}/cwd`) === real && alive(pid);
      } catch {
        return false; // it ended while we looked
      }
    });
}

/** The process group of `pid` (the `sh -c` that leads it), from /proc; 0 once it is gone. */
function groupOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return 0;
  }
}

/** Running, not a zombie: this machine's PID 1 does not reap orphans, so a dead process can linger as one. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
