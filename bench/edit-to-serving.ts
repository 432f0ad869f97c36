// Edit-to-serving: a file write → the first HTTP response with the new content, through the service's
// URL. (a) a local Node process (devenv `run:` + watch `restart`) against nodemon restarting the same
// server, with the bare `node` server's start as the floor; (b) a container service (devenv `build:` +
// watch `sync` and `restart`) against `docker-compose up -d --build` (rebuild and recreate), with a
// bare `docker restart` of the same container as its floor. See bench/README.md for the fairness notes.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { demux, parseEngineTime, recordEngineEvents, socketPath } from './engine-log.ts';
import { freePorts } from './free-ports.ts';
import type { BenchContext, BenchResult, DetailTable } from './types.js';

export const describe =
  'Edit-to-serving (file write → first HTTP response with the new content): local process vs nodemon, container sync + restart vs docker-compose rebuild';

/** At least this many measured edits per tool, whatever `--runs` says (the issue asks for ≥ 20). */
const MIN_EDITS = 20;
/** Unmeasured edits per tool first (page cache, Node's compile cache, the engine's build cache). */
const WARMUP_EDITS = 2;
/** How often the bench asks the service's URL for the new content while it reloads. */
const POLL_MS = 2;
/** Quiet time after each measured edit, so one tool's tail never overlaps the next one's edit. */
const SETTLE_MS = 300;
const EDIT_TIMEOUT_MS = 60_000;
/** The base image with Node: built once per run, removed at the end. */
const NODE_BASE = 'devenv-test/debian-base:trixie';

type Sample = { ms: number; phases: Record<string, number> };
interface Series {
  samples: Sample[];
  /** Why there are no samples, e.g. "not yet supported". */
  missing?: string;
}

/** The one server every tool runs: answers with its version; exits on SIGTERM (also as PID 1). */
const serverSource = (version: string): string => `const version = '${version}';
require('node:http')
  .createServer((_, res) => res.end(version + ' ' + process.pid))
  .listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', () => console.log('listening ' + version));
process.on('SIGTERM', () => process.exit(0));
`;

export async function run(context: BenchContext): Promise<BenchResult> {
  const { repoRoot, log } = context;
  const edits = Math.max(MIN_EDITS, context.runs);
  const id = randomBytes(3).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'devenv-bench-e2s-'));
  const stateRoot = join(dir, 'state');
  const nodeBin = dirname(process.execPath);
  const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
  const devenvEnv = { ...env, DEVENV_STATE_DIR: stateRoot };
  const devenvJs = join(repoRoot, 'bin/devenv.js');
  const devenv = (cwd: string, ...args: string[]) =>
    runCommand(process.execPath, [devenvJs, ...args], cwd, devenvEnv);

  const localProject = `bench-e2s-${id}`;
  const containerProject = `bench-e2s-ctr-${id}`;
  const composeProject = `bench-e2s-compose-${id}`;
  const baseImage = `devenv-bench-e2s-node:${id}`;
  const dirs = {
    devenv: join(dir, 'a-devenv'),
    nodemon: join(dir, 'a-nodemon'),
    floor: join(dir, 'a-floor'),
    base: join(dir, 'b-base'),
    cDevenv: join(dir, 'b-devenv'),
    compose: join(dir, 'b-compose'),
  };
  const [devenvPort, nodemonPort, floorPort, composePort] = (await freePorts(4)) as [
    number,
    number,
    number,
    number,
  ];

  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`edit-to-serving: cleanup: ${firstLine(error)}`);
      }
    }
    cleanups.length = 0;
  };
  const onInterrupt = (): void => {
    log('edit-to-serving: interrupted, cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));

  const nodemonVersion = JSON.parse(
    await readFile(join(repoRoot, 'node_modules/nodemon/package.json'), 'utf8'),
  ) as { version: string };
  const composeVersion = (await runCommand('docker-compose', ['version', '--short'], dir, env)).stdout.trim();
  log(`edit-to-serving: ${edits} measured edits per tool, in ${dir}`);

  const a = { devenv: series(), nodemon: series(), floor: series() };
  const b = { devenv: series(), compose: series(), floor: series() };
  let devenvStatusReload: number[] = [];

  try {
    // -------------------------------------------------------------------------------------------
    // (a) local process
    await writeLocalProjects(dirs, localProject, devenvPort);
    cleanups.push(() => devenv(dirs.devenv, 'down', '--volumes').catch(() => undefined));
    const up = await devenv(dirs.devenv, 'up', '--detach');
    if (up.code !== 0) throw new Error(`devenv up -d (local process) failed:\n${up.stderr}`);
    const events = await subscribeSupervisor(join(stateRoot, localProject, 'default', 'supervisor.log'));
    cleanups.push(() => events.close());

    const nodemon = startNodemon(repoRoot, dirs.nodemon, { ...env, PORT: String(nodemonPort) });
    cleanups.push(() => nodemon.stop());
    await waitServing(nodemonPort, 'v0');
    await waitServing(devenvPort, 'v0');

    const editDevenv = async (version: string): Promise<Sample> => {
      const edit = await editAndWait(join(dirs.devenv, 'server.js'), version, devenvPort);
      const ready = await events.waitFor(
        (event) =>
          event.type === 'resource' &&
          event.name === 'api' &&
          event.state === 'ready' &&
          event.at >= edit.wall,
        5_000,
      );
      const after = events.since(edit.wall);
      const find = (pick: (event: SupervisorEvent) => boolean) => after.find(pick)?.at;
      const fileEvent = ready?.reloadMs === undefined ? undefined : ready.at - ready.reloadMs;
      const restarting = find((e) => e.type === 'resource' && e.name === 'api' && e.state === 'restarting');
      const starting = find((e) => e.type === 'resource' && e.name === 'api' && e.state === 'starting');
      const listening = find(
        (e) => e.type === 'log' && e.name === 'api' && e.text === `listening ${version}`,
      );
      const phases: Record<string, number> = {};
      const put = (key: string, from: number | undefined, to: number | undefined): void => {
        if (from !== undefined && to !== undefined) phases[key] = to - from;
      };
      put('detect', edit.wall, fileEvent);
      put('debounce', fileEvent, restarting);
      put('stop', restarting, starting);
      put('boot', starting, listening);
      put('probe', listening, ready?.at);
      put('client', ready?.at, edit.wall + edit.ms);
      if (ready?.reloadMs !== undefined) phases.reloadMs = ready.reloadMs;
      phases.starts = after.filter(
        (e) => e.type === 'resource' && e.name === 'api' && e.state === 'starting',
      ).length;
      return { ms: edit.ms, phases };
    };

    const editNodemon = async (version: string): Promise<Sample> => {
      const edit = await editAndWait(join(dirs.nodemon, 'server.js'), version, nodemonPort);
      await sleep(20); // the "listening" line may arrive after the first response
      const after = nodemon.lines.filter((line) => line.at >= edit.wall);
      const find = (pattern: RegExp) => after.find((line) => pattern.test(line.text))?.at;
      const restarting = find(/restarting due to changes/);
      const starting = find(/starting `/);
      const listening = find(new RegExp(`^listening ${version}$`));
      const phases: Record<string, number> = {};
      const put = (key: string, from: number | undefined, to: number | undefined): void => {
        if (from !== undefined && to !== undefined) phases[key] = to - from;
      };
      put('detect', edit.wall, restarting);
      put('stop', restarting, starting);
      put('boot', starting, listening);
      put('client', listening, edit.wall + edit.ms);
      phases.starts = after.filter((line) => /starting `/.test(line.text)).length;
      return { ms: edit.ms, phases };
    };

    const floorRun = async (version: string): Promise<Sample> => {
      await writeFile(join(dirs.floor, 'server.js'), serverSource(version));
      const start = performance.now();
      const child = spawn(process.execPath, ['server.js'], {
        cwd: dirs.floor,
        env: { ...env, PORT: String(floorPort) },
        stdio: 'ignore',
      });
      try {
        return { ms: await pollUntil(floorPort, version, start), phases: {} };
      } finally {
        await stopChild(child);
      }
    };

    const localTools = [
      { name: 'devenv', measure: editDevenv, into: a.devenv },
      { name: 'nodemon', measure: editNodemon, into: a.nodemon },
      { name: 'floor', measure: floorRun, into: a.floor },
    ] as const;
    for (let i = -WARMUP_EDITS; i < edits; i++) {
      // Interleaved, rotating who goes first, so all three share the machine's noise.
      const rotation = ((i % 3) + 3) % 3;
      const order = [...localTools.slice(rotation), ...localTools.slice(0, rotation)];
      const cells: string[] = [];
      for (const tool of order) {
        const sample = await tool.measure(`v${i + WARMUP_EDITS + 1}`);
        if (i >= 0) tool.into.samples.push(sample);
        cells.push(`${tool.name} ${Math.round(sample.ms)}`);
        await sleep(SETTLE_MS);
      }
      log(`edit-to-serving: (a) ${i < 0 ? 'warm-up' : `edit ${i + 1}/${edits}`}: ${cells.join('  ')}`);
    }
    // devenv's own figure, as a user reads it: `status --json` after one more edit.
    devenvStatusReload = await statusReloads(devenv, dirs.devenv, a.devenv.samples.length > 0 ? 3 : 0, (v) =>
      editAndWait(join(dirs.devenv, 'server.js'), v, devenvPort),
    );
    await nodemon.stop();
    events.close();
    await devenv(dirs.devenv, 'down', '--volumes');

    // -------------------------------------------------------------------------------------------
    // (b) container service
    await writeContainerProjects(dirs, containerProject, composePort, baseImage);
    log(`edit-to-serving: (b) building ${baseImage} (Node copied into ${NODE_BASE})`);
    cleanups.push(() => runCommand('docker', ['rmi', '-f', baseImage], dir, env));
    const built = await runCommand('docker', ['build', '-q', '-t', baseImage, '.'], dirs.base, env);
    if (built.code !== 0) throw new Error(`docker build of the Node base failed:\n${built.stderr}`);

    const compose = (...args: string[]) =>
      runCommand('docker-compose', ['-p', composeProject, '-f', 'compose.yaml', ...args], dirs.compose, env);
    cleanups.push(() => compose('down', '-v', '--rmi', 'local'));
    const composeUp = await compose('up', '-d', '--build', 'api');
    if (composeUp.code !== 0) throw new Error(`docker-compose up failed:\n${composeUp.stderr}`);
    await waitServing(composePort, 'v0', 60_000);

    // `devenv down` keeps the image it built: remove it (and the base) after the run.
    cleanups.push(async () => {
      const images = await runCommand(
        'docker',
        ['images', '-q', '--filter', `reference=devenv/${containerProject}-*`],
        dir,
        env,
      );
      const ids = images.stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await runCommand('docker', ['rmi', '-f', ...ids], dir, env);
    });
    cleanups.push(() => devenv(dirs.cDevenv, 'down', '--volumes').catch(() => undefined));
    const engine = watchEngineEvents();
    cleanups.push(() => engine.stop());
    let containerEvents: Awaited<ReturnType<typeof subscribeSupervisor>> | undefined;
    let containerPort: number | undefined;
    const cUp = await devenv(dirs.cDevenv, 'up', '--detach');
    const cStatus = await devenv(dirs.cDevenv, 'status', '--json');
    const api = parseStatus(cStatus.stdout)?.resources.find((resource) => resource.name === 'api');
    // Its published port, as Compose's: `url` is the router's (one more hop, the router benchmark's subject).
    const published = api?.ports.find((port) => port.container === 3000)?.host;
    if (cUp.code === 0 && api?.state === 'ready' && published !== undefined) {
      containerPort = published;
      log(`edit-to-serving: (b) devenv's container service answers on 127.0.0.1:${published}`);
      await waitServing(containerPort, 'v0');
      containerEvents = await subscribeSupervisor(
        join(stateRoot, containerProject, 'default', 'supervisor.log'),
      );
      const subscribed = containerEvents;
      cleanups.push(() => subscribed.close());
    } else {
      const why = api?.detail ?? lastLine(cUp.stderr) ?? `exit ${cUp.code}`;
      b.devenv.missing = /not (yet )?supported/i.test(why) ? 'not yet supported' : 'failed';
      log(`edit-to-serving: (b) devenv's container service did not start (${why}): ${b.devenv.missing}`);
      b.devenv.missing += ` (\`devenv status\`: ${why})`;
      await devenv(dirs.cDevenv, 'down', '--volumes');
    }

    const editCompose = async (version: string): Promise<Sample> => {
      const file = join(dirs.compose, 'src', 'server.js');
      let exited = Number.NaN;
      const edit = await editAndWait(file, version, composePort, async (start) => {
        // No watcher: the bench is the developer running the rebuild the instant the file is saved.
        const result = await compose('up', '-d', '--build', 'api');
        if (result.code !== 0) throw new Error(`docker-compose up --build failed:\n${result.stderr}`);
        exited = performance.now() - start;
      });
      await sleep(20);
      return {
        ms: edit.ms,
        phases: {
          composeExited: exited,
          ...engine.phases('com.docker.compose.project', composeProject, edit.wall),
        },
      };
    };
    const editContainer = async (version: string): Promise<Sample> => {
      if (containerPort === undefined) throw new Error('unreachable');
      const edit = await editAndWait(join(dirs.cDevenv, 'src', 'server.js'), version, containerPort);
      const phases: Record<string, number> = {
        ...engine.phases('devenv.project', containerProject, edit.wall),
        ...defined('listening', await listeningAt('devenv.project', containerProject, version, edit.wall)),
      };
      const ready = await containerEvents?.waitFor(
        (e) => e.type === 'resource' && e.name === 'api' && e.state === 'ready' && e.at >= edit.wall,
        10_000,
      );
      const after = containerEvents?.since(edit.wall) ?? [];
      const at = (state: string) =>
        after.find((e) => e.type === 'resource' && e.name === 'api' && e.state === state)?.at;
      const put = (key: string, value: number | undefined): void => {
        if (value !== undefined) phases[key] = value - edit.wall;
      };
      if (ready?.reloadMs !== undefined) {
        put('fileEvent', ready.at - ready.reloadMs);
        phases.reloadMs = ready.reloadMs;
      }
      put('restarting', at('restarting'));
      put('starting', at('starting'));
      put('ready', ready?.at);
      return { ms: edit.ms, phases };
    };
    const restartFloor = async (version: string): Promise<Sample> => {
      // The engine's part of any "restart the container" reload: restart → serving again.
      const filter = encodeURIComponent(
        JSON.stringify({ label: [`com.docker.compose.project=${composeProject}`] }),
      );
      const [container] = (await dockerJson('GET', `/containers/json?filters=${filter}`)) as { Id: string }[];
      if (!container) throw new Error('the compose container is gone');
      const wall = Date.now();
      const start = performance.now();
      await dockerJson('POST', `/containers/${container.Id}/restart?t=10`);
      const restarted = performance.now() - start;
      const ms = await pollUntil(composePort, version, start);
      await sleep(20);
      return {
        ms,
        phases: {
          restarted,
          ...engine.phases('com.docker.compose.project', composeProject, wall),
          ...defined(
            'listening',
            await listeningAt('com.docker.compose.project', composeProject, version, wall),
          ),
        },
      };
    };

    const containerTools = [
      ...(containerPort === undefined ? [] : [{ name: 'devenv', measure: editContainer, into: b.devenv }]),
      { name: 'compose', measure: editCompose, into: b.compose },
    ];
    let composeVersion_ = 'v0';
    for (let i = -WARMUP_EDITS; i < edits; i++) {
      const order = i % 2 === 0 ? containerTools : [...containerTools].reverse();
      const cells: string[] = [];
      for (const tool of order) {
        const version = `v${i + WARMUP_EDITS + 1}`;
        const sample = await tool.measure(version);
        if (tool.name === 'compose') composeVersion_ = version;
        if (i >= 0) tool.into.samples.push(sample);
        cells.push(`${tool.name} ${Math.round(sample.ms)}`);
        await sleep(SETTLE_MS);
      }
      const floor = await restartFloor(composeVersion_);
      if (i >= 0) b.floor.samples.push(floor);
      cells.push(`restart floor ${Math.round(floor.ms)}`);
      await sleep(SETTLE_MS);
      log(`edit-to-serving: (b) ${i < 0 ? 'warm-up' : `edit ${i + 1}/${edits}`}: ${cells.join('  ')}`);
    }
  } finally {
    log(
      'edit-to-serving: cleaning up (devenv down --volumes, nodemon, docker-compose down -v, images, temp dir)',
    );
    await cleanup();
    process.removeListener('SIGINT', onInterrupt);
  }

  return {
    peer: `nodemon ${nodemonVersion.version} (a), docker-compose ${composeVersion} (b)`,
    scenarios: [],
    details: [
      summaryTable(a, b, edits),
      localPhaseTable(a, devenvStatusReload),
      containerPhaseTable(b),
      samplesTable(a, b),
    ],
  };
}

const series = (): Series => ({ samples: [] });
const defined = (key: string, value: number | undefined): Record<string, number> =>
  value === undefined ? {} : { [key]: value };

// ---------------------------------------------------------------------------------------------------
// Project files

async function writeLocalProjects(
  dirs: { devenv: string; nodemon: string; floor: string },
  project: string,
  port: number,
): Promise<void> {
  for (const folder of [dirs.devenv, dirs.nodemon, dirs.floor]) {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'server.js'), serverSource('v0'));
  }
  // argv form (no `sh -c`), as nodemon forks `node server.js` directly.
  await writeFile(
    join(dirs.devenv, 'devenv.yaml'),
    [
      `name: ${project}`,
      'services:',
      '  api:',
      '    run: [node, server.js]',
      `    port: ${port}`,
      '    ready: { http: / }',
      '    watch:',
      '      - paths: server.js',
      '        action: restart',
      '',
    ].join('\n'),
  );
}

async function writeContainerProjects(
  dirs: { base: string; cDevenv: string; compose: string },
  project: string,
  composePort: number,
  baseImage: string,
): Promise<void> {
  await mkdir(dirs.base, { recursive: true });
  await copyFile(process.execPath, join(dirs.base, 'node'));
  await writeFile(join(dirs.base, 'Dockerfile'), `FROM ${NODE_BASE}\nCOPY node /usr/local/bin/node\n`);
  // The app image: the same for both tools; only `src/` changes between edits.
  const dockerfile = `FROM ${baseImage}\nWORKDIR /app\nENV HOST=0.0.0.0 PORT=3000\nCOPY src /app/src\nCMD ["node", "src/server.js"]\n`;
  for (const folder of [dirs.cDevenv, dirs.compose]) {
    await mkdir(join(folder, 'src'), { recursive: true });
    await writeFile(join(folder, 'src', 'server.js'), serverSource('v0'));
    await writeFile(join(folder, 'Dockerfile'), dockerfile);
  }
  await writeFile(
    join(dirs.cDevenv, 'devenv.yaml'),
    [
      `name: ${project}`,
      'services:',
      '  api:',
      '    build: .',
      '    port: 3000',
      '    ready: { http: / }',
      '    watch:',
      '      - paths: src',
      '        action: sync',
      '        target: /app/src',
      '      - paths: src',
      '        action: restart',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dirs.compose, 'compose.yaml'),
    `services:
  api:
    build: .
    ports:
      - "127.0.0.1:${composePort}:3000"
    stop_grace_period: 10s
`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Measuring one edit

/**
 * Writes the new version and polls the service every POLL_MS until it answers with it. `after` runs
 * right after the write (compose's rebuild), concurrently with the polling.
 */
async function editAndWait(
  file: string,
  version: string,
  port: number,
  after?: (start: number) => Promise<void>,
): Promise<{ ms: number; wall: number }> {
  const wall = Date.now();
  const start = performance.now();
  await writeFile(file, serverSource(version));
  const side = after?.(start);
  const polled = pollUntil(port, version, start);
  const [ms] = await Promise.all([polled, side]);
  return { ms, wall };
}

/** ms from `start` until GET / answers with `version` (a new connection per request, like a browser reload). */
async function pollUntil(port: number, version: string, start: number): Promise<number> {
  for (;;) {
    const body = await get(port);
    if (body?.startsWith(`${version} `)) return performance.now() - start;
    if (performance.now() - start > EDIT_TIMEOUT_MS)
      throw new Error(`127.0.0.1:${port} never answered with ${version} (last: ${body ?? 'no answer'})`);
    await sleep(POLL_MS);
  }
}

async function waitServing(port: number, version: string, timeoutMs = 20_000): Promise<void> {
  const start = performance.now();
  for (;;) {
    if ((await get(port))?.startsWith(`${version} `)) return;
    if (performance.now() - start > timeoutMs) throw new Error(`127.0.0.1:${port} never served ${version}`);
    await sleep(50);
  }
}

function get(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** `lastReloadMs` from `devenv status --json` after `count` more (unmeasured) edits. */
async function statusReloads(
  devenv: (cwd: string, ...args: string[]) => Promise<CommandResult>,
  cwd: string,
  count: number,
  edit: (version: string) => Promise<unknown>,
): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    await edit(`s${i}`);
    await sleep(200);
    const status = parseStatus((await devenv(cwd, 'status', '--json')).stdout);
    const value = status?.resources.find((resource) => resource.name === 'api')?.lastReloadMs;
    if (typeof value === 'number') values.push(value);
    await sleep(SETTLE_MS);
  }
  return values;
}

interface Status {
  resources: {
    name: string;
    state: string;
    url: string | null;
    ports: { container: number; host: number }[];
    detail: string | null;
    lastReloadMs?: number | null;
  }[];
}

function parseStatus(text: string): Status | undefined {
  try {
    return JSON.parse(text) as Status;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Processes

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface StampedLine {
  /** ms since the epoch when the bench read the line. */
  at: number;
  text: string;
}

/** nodemon with its defaults (no `--delay`, native file events), its output stamped as it arrives. */
function startNodemon(
  repoRoot: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): { lines: StampedLine[]; stop: () => Promise<void> } {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'node_modules/nodemon/bin/nodemon.js'), 'server.js'],
    {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'], // stdin kept open: nodemon reads `rs` from it by default
      detached: true,
    },
  );
  const lines: StampedLine[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const at = Date.now();
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const text of parts) lines.push({ at, text: text.trim() });
    });
  }
  let stopped: Promise<void> | undefined;
  return {
    lines,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.pid === undefined) return;
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        try {
          process.kill(-child.pid, 'SIGTERM'); // its own process group: nodemon and its server
        } catch {
          return;
        }
        await Promise.race([gone, sleep(5_000)]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      })();
      return stopped;
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}

// ---------------------------------------------------------------------------------------------------
// devenv's own events (the supervisor's socket: NDJSON, `subscribe` pushes every event)

interface SupervisorEvent {
  type: string;
  at: number;
  name?: string;
  state?: string;
  text?: string;
  reloadMs?: number;
}

async function subscribeSupervisor(logFile: string): Promise<{
  since: (wall: number) => SupervisorEvent[];
  waitFor: (
    pick: (event: SupervisorEvent) => boolean,
    timeoutMs: number,
  ) => Promise<SupervisorEvent | undefined>;
  close: () => void;
}> {
  const text = await readFile(logFile, 'utf8');
  const socketPath = / serving \S+ on (\S+)$/m.exec(text)?.[1];
  if (!socketPath) throw new Error(`no socket path in ${logFile}`);
  const events: SupervisorEvent[] = [];
  const waiters = new Set<() => void>();
  const socket = connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  let rest = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.trim()) continue;
      const message = JSON.parse(part) as { event?: SupervisorEvent };
      if (message.event) events.push(message.event);
    }
    for (const wake of waiters) wake();
  });
  socket.write(
    `${JSON.stringify({ id: 1, method: 'hello' })}\n${JSON.stringify({ id: 2, method: 'subscribe' })}\n`,
  );
  return {
    since: (wall) => events.filter((event) => event.at >= wall),
    waitFor: async (pick, timeoutMs) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const found = events.find(pick);
        if (found || performance.now() > deadline) return found;
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 50);
        });
      }
    },
    close: () => socket.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Engine API (restart floor)

/**
 * The engine's container events as they happen; `phases` gives the first kill, die, destroy, create
 * and start of one project's containers at or after `wall`, in ms since `wall`.
 */
function watchEngineEvents(): {
  phases: (label: string, value: string, wall: number) => Record<string, number>;
  stop: () => void;
} {
  const { list, stop } = recordEngineEvents();
  return {
    phases: (label, value, wall) => {
      const phases: Record<string, number> = {};
      for (const event of list) {
        if (event.at < wall || event.attributes[label] !== value) continue;
        const key = `engine:${event.action}`;
        if (['kill', 'die', 'destroy', 'create', 'start'].includes(event.action) && !(key in phases)) {
          // `start` after the `die`: the restarted or recreated container.
          if (event.action === 'start' && !('engine:die' in phases)) continue;
          phases[key] = event.at - wall;
        }
      }
      return phases;
    },
    stop,
  };
}

/** When the container of `label=value` logged `listening VERSION` (engine log timestamps), in ms since `wall`. */
async function listeningAt(
  label: string,
  value: string,
  version: string,
  wall: number,
): Promise<number | undefined> {
  const filter = encodeURIComponent(JSON.stringify({ label: [`${label}=${value}`] }));
  const [container] = (await dockerJson('GET', `/containers/json?filters=${filter}`)) as { Id: string }[];
  if (!container) return undefined;
  const since = Math.floor(wall / 1000) - 1;
  const body = await dockerRaw(
    `/containers/${container.Id}/logs?stdout=1&stderr=1&timestamps=1&since=${since}`,
  );
  for (const line of demux(body)) {
    if (!line.endsWith(`listening ${version}`)) continue;
    const at = parseEngineTime(line.slice(0, line.indexOf(' ')));
    if (at !== undefined && at >= wall) return at - wall;
  }
  return undefined;
}

function dockerRaw(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function dockerJson(method: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 400)
          reject(new Error(`engine ${method} ${path}: ${res.statusCode} ${body}`));
        else resolve(body ? JSON.parse(body) : null);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------------
// Tables

function quantile(values: readonly number[], q: number): number | undefined {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((x, y) => x - y);
  if (sorted.length === 0) return undefined;
  if (q === 0.5) {
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  }
  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const fmt = (value: number | undefined): string => (value === undefined ? '—' : `${Math.round(value)} ms`);
const totals = (s: Series): number[] => s.samples.map((sample) => sample.ms);
const phase = (s: Series, key: string): number[] =>
  s.samples.map((sample) => sample.phases[key]).filter((value): value is number => value !== undefined);

function summaryTable(
  a: { devenv: Series; nodemon: Series; floor: Series },
  b: { devenv: Series; compose: Series; floor: Series },
  edits: number,
): DetailTable {
  const row = (label: string, devenv: Series, peer: Series, floor: Series, goal: string) => {
    const dMedian = quantile(totals(devenv), 0.5);
    const pMedian = quantile(totals(peer), 0.5);
    const fMedian = quantile(totals(floor), 0.5);
    const missing = devenv.missing;
    return {
      label,
      cells: [
        missing ?? fmt(dMedian),
        missing ? '—' : fmt(quantile(totals(devenv), 0.95)),
        fmt(pMedian),
        fmt(quantile(totals(peer), 0.95)),
        dMedian === undefined || pMedian === undefined ? '—' : `${(pMedian / dMedian).toFixed(2)}×`,
        fmt(fMedian),
        dMedian === undefined || fMedian === undefined ? '—' : `+${Math.round(dMedian - fMedian)} ms`,
        goal,
      ],
    };
  };
  return {
    title: `Edit → serving the new content (${edits} measured edits per tool, medians and p95)`,
    columns: [
      'devenv median',
      'devenv p95',
      'peer median',
      'peer p95',
      'peer / devenv',
      'floor median',
      'devenv − floor',
      'goal (devenv median)',
    ],
    rows: [
      row(
        '(a) local process: devenv `run:` + watch restart / peer nodemon',
        a.devenv,
        a.nodemon,
        a.floor,
        '< 250 ms',
      ),
      row(
        '(b) container: devenv `build:` + sync + restart / peer `docker-compose up -d --build`',
        b.devenv,
        b.compose,
        b.floor,
        '< 1000 ms',
      ),
    ],
    notes: [
      'Ratio above 1: devenv is faster. Every time runs from just before the file write to the first ' +
        `response carrying the new version, polled every ${POLL_MS} ms on the service's own port (a container's published port; not through ` +
        "the router) with a new connection per request. Floors: (a) spawning `node server.js` until its first response (Node's " +
        "start-up, no tool); (b) the engine's `POST /containers/{id}/restart` of the compose container " +
        'until it answers again (no copy, no build).',
    ],
  };
}

function localPhaseTable(a: { devenv: Series; nodemon: Series }, statusReload: number[]): DetailTable {
  const both = (devenvKey: string | undefined, nodemonKey: string | undefined): string[] => [
    devenvKey === undefined ? '—' : fmt(quantile(phase(a.devenv, devenvKey), 0.5)),
    nodemonKey === undefined ? '—' : fmt(quantile(phase(a.nodemon, nodemonKey), 0.5)),
  ];
  const extraStarts = (s: Series) => s.samples.filter((sample) => (sample.phases.starts ?? 1) > 1).length;
  return {
    title: '(a) Where a local-process reload spends its time (medians, ms)',
    columns: ['devenv', 'nodemon'],
    rows: [
      {
        label: 'write → file event seen (devenv: chokidar event; nodemon: "restarting due to changes")',
        cells: both('detect', 'detect'),
      },
      {
        label: "file event → old process asked to stop (devenv: at once, on the batch's first event)",
        cells: both('debounce', undefined),
      },
      {
        label:
          "stop asked → new process starts (SIGTERM, old one exits, group gone; devenv: in the batch's 15 ms quiet, then its paused warm-start spare is released)",
        cells: both('stop', 'stop'),
      },
      {
        label:
          'new process starts → server logs "listening" (nodemon: all of Node\'s start-up; devenv: loading the code into a Node already started)',
        cells: both('boot', 'boot'),
      },
      { label: '"listening" → devenv\'s readiness probe passes', cells: both('probe', undefined) },
      {
        label: 'ready (devenv) / "listening" (nodemon) → the bench sees the new content',
        cells: both('client', 'client'),
      },
      {
        label: 'devenv `reloadMs` (file event → ready, its `ready` event)',
        cells: both('reloadMs', undefined),
      },
      {
        label: 'devenv `lastReloadMs` in `status --json` (separate edits)',
        cells: [fmt(quantile(statusReload, 0.5)), '—'],
      },
      {
        label: 'edit → serving (bench, as above)',
        cells: [fmt(quantile(totals(a.devenv), 0.5)), fmt(quantile(totals(a.nodemon), 0.5))],
      },
      {
        label: 'edits that started the server more than once',
        cells: [String(extraStarts(a.devenv)), String(extraStarts(a.nodemon))],
      },
    ],
    notes: [
      "devenv's phases come from its own event stream (the supervisor's socket, `at` in ms from its clock: " +
        "`restarting`, `starting`, the service's `listening` log line, `ready` with `reloadMs`; the file " +
        "event is `ready.at − reloadMs`); nodemon's from its output lines, stamped as the bench reads them. " +
        'Same host clock for all. Rows are medians of their own, so they need not add up exactly.',
    ],
  };
}

function containerPhaseTable(b: { devenv: Series; compose: Series; floor: Series }): DetailTable {
  const cell = (s: Series, key: string | undefined): string =>
    key === undefined ? '—' : s.missing && s.samples.length === 0 ? '—' : fmt(quantile(phase(s, key), 0.5));
  const row = (label: string, devenv?: string, compose?: string, floor?: string) => ({
    label,
    cells: [cell(b.devenv, devenv), cell(b.compose, compose), cell(b.floor, floor)],
  });
  return {
    title: '(b) Where a container reload spends its time (medians, ms since the write / the restart call)',
    columns: ['devenv sync + restart', 'compose rebuild + recreate', 'floor: engine restart'],
    rows: [
      row('file event seen (devenv: `ready.at − reloadMs`)', 'fileEvent'),
      row('files copied in, restart begins (devenv `restarting` event)', 'restarting'),
      row('`docker-compose up -d --build api` exited', undefined, 'composeExited'),
      row(
        "container signalled (engine `kill`: the stop, or devenv's SIGUSR1 restart in place)",
        'engine:kill',
        'engine:kill',
        'engine:kill',
      ),
      row('old container exited (engine `die`)', 'engine:die', 'engine:die', 'engine:die'),
      row('old container removed (engine `destroy`)', undefined, 'engine:destroy'),
      row('new container created (engine `create`)', undefined, 'engine:create'),
      row('container started (engine `start`)', 'engine:start', 'engine:start', 'engine:start'),
      row(
        "devenv `starting` event (start call returned; in place: the restarter's log line seen)",
        'starting',
      ),
      row('server logs "listening" (container log timestamp)', 'listening', 'listening', 'listening'),
      row('devenv `ready` event', 'ready'),
      row('devenv `reloadMs`', 'reloadMs'),
      {
        label: 'serving the new content (bench)',
        cells: [
          b.devenv.missing ?? fmt(quantile(totals(b.devenv), 0.5)),
          fmt(quantile(totals(b.compose), 0.5)),
          fmt(quantile(totals(b.floor), 0.5)),
        ],
      },
    ],
    notes: [
      "Times from the engine's event stream (`timeNano`), devenv's own events (the supervisor's socket) " +
        'and the bench, on the same host clock. Compose has no watcher: the bench runs `docker-compose up -d ' +
        '--build api` the instant the file is written, so Compose pays no detection or debounce.',
    ],
  };
}

function samplesTable(
  a: { devenv: Series; nodemon: Series; floor: Series },
  b: { devenv: Series; compose: Series; floor: Series },
): DetailTable {
  const list = (s: Series): string =>
    s.missing ?? s.samples.map((sample) => Math.round(sample.ms)).join(', ');
  return {
    title: 'Every sample (ms, in run order)',
    columns: ['samples'],
    rows: [
      { label: '(a) devenv', cells: [list(a.devenv)] },
      { label: '(a) nodemon', cells: [list(a.nodemon)] },
      { label: '(a) floor: bare `node server.js`', cells: [list(a.floor)] },
      { label: '(b) devenv', cells: [list(b.devenv)] },
      { label: '(b) compose', cells: [list(b.compose)] },
      { label: '(b) floor: engine restart', cells: [list(b.floor)] },
    ],
    notes: [],
  };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}

function lastLine(text: string): string | undefined {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim())
    .at(-1);
}
