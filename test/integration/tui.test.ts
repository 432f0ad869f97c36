import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DevenvProject, labelled } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { freePort } from '../support/http.js';
import { waitFor } from '../support/wait.js';

const docker = testEngine();
const launcher = fileURLToPath(new URL('../../bin/devenv.js', import.meta.url));
/** Our own tmux server: the test never touches a developer's sessions. */
const TMUX_SOCKET = `devenv-tui-test-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', TMUX_SOCKET, ...args], { encoding: 'utf8' });

/** A service that says which process it is, so a restart shows as a new pid on screen. */
const SERVER = `
require('node:http')
  .createServer((_, res) => res.end('ok'))
  .listen(process.env.PORT, '127.0.0.1', () => console.log('listening pid=' + process.pid));
`;

/** Running, and not a zombie waiting for a reaper (in a container, PID 1 may never reap it). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** `devenv up` in a real 160×48 terminal; the shell prints the exit code when devenv ends. */
async function startTui(project: DevenvProject, session: string): Promise<void> {
  const env = Object.entries({ ...project.env, DEVENV_STATE_DIR: project.stateDir, TERM: 'xterm-256color' })
    .map(([key, value]) => `${key}=${JSON.stringify(String(value))}`)
    .join(' ');
  tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '160',
    '-y',
    '48',
    '-c',
    project.dir,
    `env -u NO_COLOR -u CI ${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(launcher)} up; echo "EXIT:$?"; sleep 120`,
  );
}

const screen = (session: string): string => tmux('capture-pane', '-p', '-t', session);

const waitForScreen = (session: string, what: string, test: (text: string) => boolean, timeoutMs = 90_000) =>
  waitFor(
    what,
    async () => {
      const text = screen(session);
      return test(text) ? text : undefined;
    },
    { timeoutMs },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n--- screen ---\n${screen(session)}`);
  });

const rowReady = (text: string, name: string): boolean =>
  new RegExp(`^.?${name}\\s+ready\\b`, 'm').test(text);

/** Where captures go for docs/tui.md when DEVENV_TUI_CAPTURES is set (the test asserts; people read these). */
const keep = (name: string, text: string): void => {
  const dir = process.env.DEVENV_TUI_CAPTURES;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), text);
};

describe('devenv up in a real terminal (tmux, real engine)', () => {
  const projects: DevenvProject[] = [];
  const images: string[] = [];
  afterAll(async () => {
    for (const image of images)
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    try {
      tmux('kill-server');
    } catch {
      // No server left (every session ended).
    }
    // tmux leaves its socket file behind.
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, TMUX_SOCKET), {
      force: true,
    });
    for (const project of projects) await project.dispose(docker);
  });

  async function project(): Promise<DevenvProject> {
    const port = await freePort();
    const created = new DevenvProject(`
dependencies:
  cache:
    preset: redis
services:
  web:
    run: node server.js
    port: ${port}
    depends_on: [cache]
    ready: { http: / }
`);
    created.env = { DEVENV_ROUTER_PORT: String(await freePort()) };
    writeFileSync(join(created.dir, 'server.js'), SERVER);
    projects.push(created);
    return created;
  }

  it('shows every row ready, restarts the selected service on r, and q stops the environment', async () => {
    const app = await project();
    const session = `up-${app.name}`;
    await startTui(app, session);

    const ready = await waitForScreen(session, 'cache and web ready', (text) =>
      ['cache', 'web'].every((name) => rowReady(text, name)),
    );
    keep('ready', ready);
    expect(ready).toContain(`devenv ${app.name}`);
    expect(ready).toMatch(/NAME\s+STATE\s+URL \/ PORT/);
    expect(ready).toContain(`http://web.${app.name}.localhost:`);
    expect(ready).toContain('q quit');
    const firstPid = Number(/listening pid=(\d+)/.exec(ready)?.[1] ?? (await waitForPid(session)));

    tmux('send-keys', '-t', session, 'Down');
    await waitForScreen(session, 'web selected', (text) => /^›web/m.test(text));
    tmux('send-keys', '-t', session, 'r');
    const restarted = await waitForScreen(
      session,
      'web restarted: a second process listening, ready again',
      (text) => (text.match(/listening pid=\d+/g) ?? []).length >= 2 && rowReady(text, 'web'),
    );
    keep('restarted', restarted);
    const pids = [...restarted.matchAll(/listening pid=(\d+)/g)].map((match) => Number(match[1]));
    expect(pids.at(-1)).not.toBe(firstPid);

    tmux('send-keys', '-t', session, '/');
    tmux('send-keys', '-t', session, '-l', 'listening');
    tmux('send-keys', '-t', session, 'Enter');
    keep(
      'search',
      await waitForScreen(session, 'search applied', (text) => text.includes('matching /listening/')),
    );

    // `b` on a dependency: nothing to rebuild, said in place, nothing else happens.
    tmux('send-keys', '-t', session, 'Up');
    tmux('send-keys', '-t', session, 'b');
    await waitForScreen(session, 'rebuild refused', (text) => text.includes('cache has no image to rebuild'));

    tmux('send-keys', '-t', session, 'q');
    const stopped = await waitForScreen(session, 'devenv exited', (text) => text.includes('EXIT:'));
    expect(stopped).toContain('EXIT:0');
    expect(stopped).toContain('Dependencies keep running for a fast next start: cache');
    // The supervisor is gone, and so are the service's processes; the dependency container stays.
    expect(existsSync(app.supervisorPidFile())).toBe(false);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    const { containers } = await labelled(docker, app.name);
    expect(containers.map((container) => container.State)).toEqual(['running']);
  });

  it('explains a crashed service in place: its exit code and last lines', async () => {
    const app = await project();
    app.write(`
services:
  broken:
    run: node crash.js
    restart: "no"
`);
    writeFileSync(
      join(app.dir, 'crash.js'),
      "console.log('loading config');\nconsole.error('Error: DATABASE_URL is not set');\nprocess.exit(3);\n",
    );
    const session = `crash-${app.name}`;
    await startTui(app, session);
    const crashed = await waitForScreen(
      session,
      'the crash explained',
      (text) => /^.?broken\s+crashed\b/m.test(text) && text.includes('✗ broken crashed'),
    );
    keep('crashed', crashed);
    expect(crashed).toMatch(/✗ broken crashed: .*\b3\b/);
    expect(crashed).toContain('│ Error: DATABASE_URL is not set');
    expect(crashed).toContain('degraded: broken crashed');
    tmux('send-keys', '-t', session, 'q');
    expect(await waitForScreen(session, 'devenv exited', (text) => text.includes('EXIT:'))).toContain(
      'EXIT:0',
    );
  });

  it('b rebuilds a build: service and replaces its container', async () => {
    const app = await project();
    const port = await freePort();
    app.write(`
services:
  api:
    build: ./api
    port: { container: 8080, host: ${port} }
    ready: { http: / }
`);
    mkdirSync(join(app.dir, 'api'));
    writeFileSync(
      join(app.dir, 'api/server.js'),
      SERVER.replace('process.env.PORT', '8080').replace("'127.0.0.1'", "'0.0.0.0'"),
    );
    writeFileSync(
      join(app.dir, 'api/Dockerfile'),
      'FROM node:24\nCOPY server.js /server.js\nCMD ["node", "/server.js"]\n',
    );
    images.push(`devenv/${app.name}-api:default`);
    const session = `rebuild-${app.name}`;
    await startTui(app, session);
    await waitForScreen(session, 'api ready', (text) => rowReady(text, 'api'));
    const before = (await labelled(docker, app.name)).containers.map((container) => container.Id);
    tmux('send-keys', '-t', session, 'b');
    const rebuilt = await waitForScreen(
      session,
      'api rebuilt and ready again',
      (text) => text.includes('api: rebuild done') && rowReady(text, 'api'),
    );
    expect(rebuilt).toContain('api: rebuild done');
    const after = (await labelled(docker, app.name)).containers.map((container) => container.Id);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    tmux('send-keys', '-t', session, 'q');
    expect(await waitForScreen(session, 'devenv exited', (text) => text.includes('EXIT:'))).toContain(
      'EXIT:0',
    );
  });

  it('attaches to a running environment and d detaches, leaving it running', async () => {
    const app = await project();
    expect(app.run(['up', '-d']).code).toBe(0);
    const supervisorPid = app.supervisorPid();
    const session = `attach-${app.name}`;
    await startTui(app, session);
    await waitForScreen(session, 'cache and web ready', (text) =>
      ['cache', 'web'].every((name) => rowReady(text, name)),
    );
    tmux('send-keys', '-t', session, 'd');
    const detached = await waitForScreen(session, 'devenv exited', (text) => text.includes('EXIT:'));
    expect(detached).toContain('EXIT:0');
    expect(detached).toContain('detached; the environment keeps running');
    const supervisorLog = join(dirname(app.supervisorPidFile()), 'supervisor.log');
    expect(alive(supervisorPid), `supervisor ${supervisorPid}:\n${readFileSync(supervisorLog, 'utf8')}`).toBe(
      true,
    );
    expect(app.run(['status', '--json']).code).toBe(0);
  });
});

async function waitForPid(session: string): Promise<number> {
  const text = await waitForScreen(session, 'the service logged its pid', (t) => /listening pid=\d+/.test(t));
  return Number(/listening pid=(\d+)/.exec(text)?.[1]);
}
