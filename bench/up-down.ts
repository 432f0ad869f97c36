// Warm `devenv up --detach` to all-ready, no-op re-up and `devenv down`, against docker-compose on an
// equivalent compose.yaml (same images, env, ports, named volumes, readiness commands and 1 s interval).
// See bench/README.md for what is measured and why it is fair.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { demux, parseEngineTime, recordEngineEvents, socketPath } from './engine-log.ts';
import type { BenchContext, BenchResult, DetailTable, ScenarioSamples } from './types.js';

export const describe =
  'Quickstart dependencies (postgres:17 + redis:8): warm cold-start to all-ready, no-op re-up, down';

/** How often the compose side polls the engine for health (the brief's "fine interval"). */
const HEALTH_POLL_MS = 50;
const UP_TIMEOUT_MS = 120_000;
/** A short pause between measured commands so one tool's tail does not overlap the other's start. */
const SETTLE_MS = 300;

type Tool = 'devenv' | 'compose';

/** A line of a command's output with its arrival time (ms since the command was spawned). */
interface TimedLine {
  at: number;
  text: string;
}

interface Timed {
  /** Wall clock (ms since the epoch) when the command was spawned: the zero of every phase. */
  wallStart: number;
  ms: number;
  lines: TimedLine[];
}

/** Per-dependency timeline of one cold start, in ms since the command was spawned. */
/**
 * When the CLI spawned the supervisor (its log file's creation), when the supervisor took its lock
 * (Node, config and dockerode loaded) and when it began serving its socket (its own log line).
 */
async function supervisorMarks(stateDir: string, wallStart: number): Promise<Record<string, number>> {
  const marks: Record<string, number> = {};
  const logFile = join(stateDir, 'supervisor.log');
  const log = await stat(logFile).catch(() => undefined);
  if (log) marks.spawned = log.birthtimeMs - wallStart;
  const lock = await stat(join(stateDir, 'supervisor.pid')).catch(() => undefined);
  if (lock) marks.locked = lock.mtimeMs - wallStart;
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const serving = /^(\S+) supervisor \d+ serving/m.exec(text)?.[1];
  if (serving) marks.serving = Date.parse(serving) - wallStart;
  return marks;
}

interface DependencyPhases {
  /** The first readiness command's end (engine `exec_die`). */
  firstProbe?: number;
  created?: number;
  started?: number;
  /** The server's own "ready to accept connections" log line. */
  serverReady?: number;
  /** When the tool considered it ready: devenv's `ready` line, Docker's `health_status: healthy`. */
  detected?: number;
  /** Readiness commands run until ready (exec events in the container). */
  probes: number;
}

interface ColdStart {
  tool: Tool;
  total: number;
  /** devenv: the "starting … (supervisor pid …)" and "plan:" lines; compose: `up -d` exited. */
  marks: Record<string, number>;
  dependencies: Record<string, DependencyPhases>;
}

interface DownPhases {
  tool: Tool;
  total: number;
  firstKill?: number;
  lastDie?: number;
  lastDestroy?: number;
}

const DEPENDENCIES = ['db', 'cache'] as const;

export async function run(context: BenchContext): Promise<BenchResult> {
  const { runs, repoRoot, log } = context;
  const id = randomBytes(3).toString('hex');
  const devenvProject = `bench-updown-${id}`;
  const composeProject = `bench-updown-compose-${id}`;
  const dir = await mkdtemp(join(tmpdir(), 'devenv-bench-'));
  const devenvDir = join(dir, 'devenv');
  const composeDir = join(dir, 'compose');
  const [dbPort, cachePort] = await freePorts([21543, 21637]);
  await writeProject(devenvDir, composeDir, devenvProject, dbPort ?? 0, cachePort ?? 0);

  const devenvEnv = { ...process.env, DEVENV_STATE_DIR: join(dir, 'state'), NO_COLOR: '1' };
  const stateDir = join(dir, 'state', devenvProject, 'default');
  const devenv = (...args: string[]): Promise<Timed> =>
    timed(process.execPath, [join(repoRoot, 'bin/devenv.js'), ...args], devenvDir, devenvEnv);
  const compose = (...args: string[]): Promise<Timed> =>
    timed('docker-compose', ['-p', composeProject, '-f', 'compose.yaml', ...args], composeDir, process.env);
  const labelOf: Record<Tool, { project: [string, string]; name: string }> = {
    devenv: { project: ['devenv.project', devenvProject], name: 'devenv.name' },
    compose: { project: ['com.docker.compose.project', composeProject], name: 'com.docker.compose.service' },
  };

  // Ctrl-C mid-run: remove what this run created before exiting (the `finally` below would not run).
  const onInterrupt = (): void => {
    log('up-down: interrupted, cleaning up');
    spawnSync(process.execPath, [join(repoRoot, 'bin/devenv.js'), 'down', '--volumes'], {
      cwd: devenvDir,
      env: devenvEnv,
      stdio: 'ignore',
    });
    spawnSync('docker-compose', ['-p', composeProject, '-f', 'compose.yaml', 'down', '-v'], {
      cwd: composeDir,
      stdio: 'ignore',
    });
    spawnSync('rm', ['-rf', dir]);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  const events = watchEngineEvents();
  const peer = `docker-compose ${(await capture('docker-compose', ['version', '--short'])).trim()}`;
  log(`up-down: devenv project ${devenvProject}, compose project ${composeProject} in ${dir}`);

  const coldStart = async (tool: Tool): Promise<ColdStart> => {
    let result: Timed;
    const marks: Record<string, number> = {};
    if (tool === 'devenv') {
      // A fresh supervisor log: its creation time is when the CLI spawned the supervisor.
      await rm(join(stateDir, 'supervisor.log'), { force: true });
      result = await devenv('up', '--detach');
      Object.assign(marks, await supervisorMarks(stateDir, result.wallStart));
      const supervisor = result.lines.find((line) => /^devenv: (starting|attached)/.test(line.text));
      const plan = result.lines.find((line) => /^\d\d:\d\d:\d\d plan:/.test(line.text));
      if (supervisor) marks.supervisor = supervisor.at;
      if (plan) marks.plan = plan.at;
    } else {
      result = await composeUpHealthy(compose, composeProject);
      marks.composeExited = result.lines.find((line) => line.text === '<exit>')?.at ?? Number.NaN;
    }
    const dependencies = await coldStartPhases(tool, result);
    return { tool, total: result.ms, marks, dependencies };
  };

  /** What the engine and the containers' own logs say about one cold start. */
  const coldStartPhases = async (tool: Tool, result: Timed): Promise<Record<string, DependencyPhases>> => {
    const labels = labelOf[tool];
    const since = result.wallStart;
    const until = result.wallStart + result.ms;
    const mine = events.list.filter(
      (event) =>
        event.attributes[labels.project[0]] === labels.project[1] && event.at >= since && event.at <= until,
    );
    const phases: Record<string, DependencyPhases> = {};
    const relative = (at: number | undefined): number | undefined =>
      at === undefined ? undefined : at - result.wallStart;
    for (const name of DEPENDENCIES) {
      const of = mine.filter((event) => event.attributes[labels.name] === name);
      const first = (action: string): number | undefined => of.find((event) => event.action === action)?.at;
      const probes = of.filter((event) => event.action === 'exec_die');
      let detected: number | undefined;
      if (tool === 'devenv') {
        const line = result.lines.find((candidate) =>
          new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${name}\\s+ready\\b`).test(candidate.text),
        );
        detected = line?.at;
      } else {
        detected = relative(first('health_status: healthy'));
      }
      const okProbe = probes.findIndex((event) => event.attributes.exitCode === '0');
      phases[name] = {
        firstProbe: relative(probes[0]?.at),
        created: relative(first('create')),
        started: relative(first('start')),
        serverReady: relative(await serverReadyAt(labels, name)),
        detected,
        probes: okProbe === -1 ? probes.length : okProbe + 1,
      };
    }
    return phases;
  };

  const serverReadyAt = async (
    labels: { project: [string, string]; name: string },
    name: string,
  ): Promise<number | undefined> => {
    const containers = (await dockerJson(
      `/containers/json?all=1&filters=${encodeURIComponent(
        JSON.stringify({ label: [`${labels.project[0]}=${labels.project[1]}`, `${labels.name}=${name}`] }),
      )}`,
    )) as { Id: string }[];
    const container = containers[0];
    if (container === undefined) return undefined;
    const raw = await dockerRequest(`/containers/${container.Id}/logs?stdout=1&stderr=1&timestamps=1`);
    for (const line of demux(raw.body)) {
      if (/ready to accept connections/i.test(line)) return parseEngineTime(line.slice(0, line.indexOf(' ')));
    }
    return undefined;
  };

  const down = async (tool: Tool): Promise<DownPhases> => {
    const result = tool === 'devenv' ? await devenv('down') : await compose('down');
    const labels = labelOf[tool];
    const mine = events.list.filter(
      (event) =>
        event.attributes[labels.project[0]] === labels.project[1] &&
        event.at >= result.wallStart &&
        event.at <= result.wallStart + result.ms,
    );
    const at = (action: string, pick: 'first' | 'last'): number | undefined => {
      const times = mine.filter((event) => event.action === action).map((event) => event.at);
      if (times.length === 0) return undefined;
      return (pick === 'first' ? Math.min(...times) : Math.max(...times)) - result.wallStart;
    };
    return {
      tool,
      total: result.ms,
      firstKill: at('kill', 'first'),
      lastDie: at('die', 'last'),
      lastDestroy: at('destroy', 'last'),
    };
  };

  const reUp = async (tool: Tool): Promise<number> =>
    tool === 'devenv'
      ? (await devenv('up', '--detach')).ms
      : (await composeUpHealthy(compose, composeProject)).ms;

  const samples = {
    cold: { devenv: [] as number[], compose: [] as number[] },
    reup: { devenv: [] as number[], compose: [] as number[] },
    down: { devenv: [] as number[], compose: [] as number[] },
    startup: { devenv: [] as number[], compose: [] as number[] },
  };
  const colds: ColdStart[] = [];
  const downs: DownPhases[] = [];

  try {
    // Warm-up (not measured): pulls nothing (images are present) but initialises both data volumes,
    // fills the page cache and Node's compile cache.
    for (const tool of ['devenv', 'compose'] as const) {
      log(`up-down: warm-up ${tool} (initialises volumes, not measured)`);
      await coldStart(tool);
      await reUp(tool);
      await down(tool);
      await sleep(SETTLE_MS);
    }
    // Process start-up floor: what each tool costs before it talks to the engine.
    for (let i = 0; i < runs; i++) {
      samples.startup.devenv.push((await devenv('--version')).ms);
      samples.startup.compose.push((await timed('docker-compose', ['version', '--short'], composeDir)).ms);
    }
    for (let i = 0; i < runs; i++) {
      // Interleaved, alternating who goes first, so both share the machine's noise.
      const order: Tool[] = i % 2 === 0 ? ['devenv', 'compose'] : ['compose', 'devenv'];
      for (const tool of order) {
        const cold = await coldStart(tool);
        colds.push(cold);
        samples.cold[tool].push(cold.total);
        await sleep(SETTLE_MS);
        const again = await reUp(tool);
        samples.reup[tool].push(again);
        await sleep(SETTLE_MS);
        const gone = await down(tool);
        downs.push(gone);
        samples.down[tool].push(gone.total);
        await sleep(SETTLE_MS);
        log(
          `up-down: run ${i + 1}/${runs} ${tool.padEnd(7)} cold ${ms(cold.total)}  re-up ${ms(again)}  down ${ms(gone.total)}`,
        );
      }
    }
  } finally {
    log('up-down: cleaning up (devenv down --volumes, docker-compose down -v)');
    await devenv('down', '--volumes').catch((error: unknown) => log(`devenv down --volumes: ${error}`));
    await compose('down', '-v').catch((error: unknown) => log(`docker-compose down -v: ${error}`));
    events.stop();
    await rm(dir, { recursive: true, force: true });
    process.removeListener('SIGINT', onInterrupt);
  }

  const scenarios: ScenarioSamples[] = [
    {
      name: 'warm cold-start',
      describe: 'images present, volumes initialised, no containers → every dependency ready',
      devenv: samples.cold.devenv,
      peer: samples.cold.compose,
    },
    {
      name: 'no-op re-up',
      describe: 'everything already running → `up` reports ready',
      devenv: samples.reup.devenv,
      peer: samples.reup.compose,
    },
    {
      name: 'down',
      describe: 'containers and network removed, volumes kept',
      devenv: samples.down.devenv,
      peer: samples.down.compose,
    },
  ];
  return {
    peer,
    scenarios,
    details: [coldStartTable(colds), downTable(downs), startupTable(samples.startup)],
  };
}

// ---------------------------------------------------------------------------------------------------
// Project files

async function writeProject(
  devenvDir: string,
  composeDir: string,
  project: string,
  dbPort: number,
  cachePort: number,
): Promise<void> {
  await mkdir(devenvDir, { recursive: true });
  await mkdir(composeDir, { recursive: true });
  await writeFile(
    join(devenvDir, 'devenv.yaml'),
    [
      `name: ${project}`,
      'dependencies:',
      '  db:',
      '    preset: postgres',
      '  cache:',
      '    preset: redis',
      '',
    ].join('\n'),
  );
  // The presets, spelled out for Compose: same images, env, container ports, volume paths and
  // readiness commands with the same 1 s interval; both services independent, as in devenv.
  await writeFile(
    join(composeDir, 'compose.yaml'),
    `services:
  db:
    image: postgres:17
    environment:
      POSTGRES_USER: devenv
      POSTGRES_PASSWORD: devenv
      POSTGRES_DB: app
    ports:
      - "127.0.0.1:${dbPort}:5432"
    volumes:
      - db-data:/var/lib/postgresql/data
    stop_grace_period: 10s
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -q -h 127.0.0.1 -U \\"$$POSTGRES_USER\\" -d \\"$$POSTGRES_DB\\""]
      interval: 1s
      timeout: 5s
      retries: 60
      start_period: 0s
  cache:
    image: redis:8
    ports:
      - "127.0.0.1:${cachePort}:6379"
    volumes:
      - cache-data:/data
    stop_grace_period: 10s
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 1s
      timeout: 5s
      retries: 30
      start_period: 0s
volumes:
  db-data:
  cache-data:
`,
  );
}

/** The first free port at or after each candidate (fixed for the run, distinct from each other). */
async function freePorts(candidates: number[]): Promise<number[]> {
  const chosen: number[] = [];
  for (let port of candidates) {
    while (chosen.includes(port) || !(await isFree(port))) port++;
    chosen.push(port);
  }
  return chosen;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------------------------------
// Commands

/** Runs a command to completion, timing it and stamping each output line as it arrives. */
function timed(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const wallStart = Date.now();
    const start = performance.now();
    const lines: TimedLine[] = [];
    const child: ChildProcess = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (stream: NodeJS.ReadableStream | null): void => {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const at = performance.now() - start;
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const text of parts) lines.push({ at, text });
      });
    };
    collect(child.stdout);
    collect(child.stderr);
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - start;
      lines.push({ at: ms, text: '<exit>' });
      if (code === 0) resolve({ wallStart, ms, lines });
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} exited with ${code}:\n${lines.map((line) => line.text).join('\n')}`,
          ),
        );
    });
  });
}

async function capture(command: string, args: string[]): Promise<string> {
  const result = await timed(command, args, process.cwd());
  return result.lines
    .filter((line) => line.text !== '<exit>')
    .map((line) => line.text)
    .join('\n');
}

/**
 * docker-compose 1.29 has no `up --wait`: time `up -d`, then poll the engine every 50 ms until both
 * services report `(healthy)`. Polls go straight to the engine API (no `docker inspect` process per
 * poll), which only ever flatters Compose.
 */
async function composeUpHealthy(
  compose: (...args: string[]) => Promise<Timed>,
  project: string,
): Promise<Timed> {
  const start = performance.now();
  const up = await compose('up', '--detach');
  const filter = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  for (;;) {
    const containers = (await dockerJson(`/containers/json?all=1&filters=${filter}`)) as {
      State: string;
      Status: string;
    }[];
    if (containers.length === DEPENDENCIES.length && containers.every((c) => c.Status.includes('(healthy)')))
      break;
    const dead = containers.find((c) => c.State === 'exited' || c.State === 'dead');
    if (dead) throw new Error(`a compose container ${dead.State}: ${dead.Status}`);
    if (performance.now() - start > UP_TIMEOUT_MS) throw new Error('compose services never became healthy');
    await sleep(HEALTH_POLL_MS);
  }
  const ms = performance.now() - start;
  const exited = up.lines.find((line) => line.text === '<exit>');
  return {
    wallStart: up.wallStart,
    ms,
    lines: [...up.lines.filter((line) => line !== exited), { at: exited?.at ?? ms, text: '<exit>' }],
  };
}

// ---------------------------------------------------------------------------------------------------
// Engine API (straight over the socket: cheaper than a `docker` process per call)

function dockerRequest(path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function dockerJson(path: string): Promise<unknown> {
  const { status, body } = await dockerRequest(path);
  if (status >= 400) throw new Error(`engine ${path}: HTTP ${status} ${body.toString('utf8')}`);
  return JSON.parse(body.toString('utf8'));
}

const watchEngineEvents = recordEngineEvents;

// ---------------------------------------------------------------------------------------------------
// Explanatory tables

function median(values: readonly number[]): number | undefined {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : `${Math.round(value)} ms`;
}

function medianOf<T>(items: readonly T[], pick: (item: T) => number | undefined): number | undefined {
  return median(items.map(pick).filter((value): value is number => value !== undefined));
}

function coldStartTable(colds: readonly ColdStart[]): DetailTable {
  const of = (tool: Tool) => colds.filter((cold) => cold.tool === tool);
  const both = (pick: (cold: ColdStart) => number | undefined): string[] => [
    ms(medianOf(of('devenv'), pick)),
    ms(medianOf(of('compose'), pick)),
  ];
  const dep = (name: string, key: keyof DependencyPhases) => (cold: ColdStart) =>
    cold.dependencies[name]?.[key];
  const lag = (name: string) => (cold: ColdStart) => {
    const phases = cold.dependencies[name];
    return phases?.detected === undefined || phases.serverReady === undefined
      ? undefined
      : phases.detected - phases.serverReady;
  };
  const boot = (name: string) => (cold: ColdStart) => {
    const phases = cold.dependencies[name];
    return phases?.serverReady === undefined || phases.started === undefined
      ? undefined
      : phases.serverReady - phases.started;
  };
  const lastServerReady = (cold: ColdStart) => {
    const times = DEPENDENCIES.map((name) => cold.dependencies[name]?.serverReady);
    return times.every((time) => time !== undefined) ? Math.max(...(times as number[])) : undefined;
  };
  const probes = (name: string): string[] =>
    (['devenv', 'compose'] as const).map((tool) => {
      const value = medianOf(of(tool), (cold) => cold.dependencies[name]?.probes);
      return value === undefined ? '—' : String(value);
    });
  return {
    title: 'Where a warm cold-start spends its time (medians, ms since the command was spawned)',
    columns: ['devenv', 'compose'],
    rows: [
      {
        label: 'CLI spawned the supervisor (config loaded)',
        cells: [ms(medianOf(of('devenv'), (c) => c.marks.spawned)), '—'],
      },
      {
        label: 'supervisor took its lock (Node, config, dockerode loaded)',
        cells: [ms(medianOf(of('devenv'), (c) => c.marks.locked)), '—'],
      },
      {
        label: 'supervisor serving its socket',
        cells: [ms(medianOf(of('devenv'), (c) => c.marks.serving)), '—'],
      },
      {
        label: 'supervisor answering (`devenv: starting …` line)',
        cells: [ms(medianOf(of('devenv'), (c) => c.marks.supervisor)), '—'],
      },
      {
        label: 'plan computed (`plan:` line)',
        cells: [ms(medianOf(of('devenv'), (c) => c.marks.plan)), '—'],
      },
      { label: 'db container created', cells: both(dep('db', 'created')) },
      { label: 'db container started', cells: both(dep('db', 'started')) },
      { label: 'cache container started', cells: both(dep('cache', 'started')) },
      {
        label: '`docker-compose up -d` exited',
        cells: ['—', ms(medianOf(of('compose'), (c) => c.marks.composeExited))],
      },
      { label: 'cache: Redis logs "Ready to accept connections"', cells: both(dep('cache', 'serverReady')) },
      { label: 'cache: readiness detected', cells: both(dep('cache', 'detected')) },
      { label: 'db: Postgres logs "ready to accept connections"', cells: both(dep('db', 'serverReady')) },
      { label: 'db: first readiness command finished', cells: both(dep('db', 'firstProbe')) },
      { label: 'db: readiness detected', cells: both(dep('db', 'detected')) },
      { label: 'command returned / all healthy seen', cells: both((c) => c.total) },
      { label: 'db: container start → Postgres ready (boot)', cells: both(boot('db')) },
      { label: 'db: Postgres ready → detected (polling lag)', cells: both(lag('db')) },
      { label: 'cache: Redis ready → detected (polling lag)', cells: both(lag('cache')) },
      { label: 'both servers ready (floor for any tool on this run)', cells: both(lastServerReady) },
      { label: 'db: readiness commands run until ready', cells: probes('db') },
      { label: 'cache: readiness commands run until ready', cells: probes('cache') },
    ],
    notes: [
      'Times come from three clocks on the same host: the arrival of each line of `devenv up -d` output ' +
        "(stamped by the bench as it is read), the engine's own event stream (`create`, `start`, " +
        '`health_status: healthy`, `exec_die` of each readiness command) and the timestamps the engine ' +
        'puts on the containers\' log lines. A "readiness command" is devenv\'s `exec` probe or one ' +
        'Docker HEALTHCHECK run.',
    ],
  };
}

function downTable(downs: readonly DownPhases[]): DetailTable {
  const of = (tool: Tool) => downs.filter((down) => down.tool === tool);
  const both = (pick: (down: DownPhases) => number | undefined): string[] => [
    ms(medianOf(of('devenv'), pick)),
    ms(medianOf(of('compose'), pick)),
  ];
  return {
    title: 'Where `down` spends its time (medians, ms since the command was spawned)',
    columns: ['devenv', 'compose'],
    rows: [
      { label: 'first container asked to stop (engine `kill`)', cells: both((d) => d.firstKill) },
      { label: 'last container exited (engine `die`)', cells: both((d) => d.lastDie) },
      { label: 'last container removed (engine `destroy`)', cells: both((d) => d.lastDestroy) },
      { label: 'command returned', cells: both((d) => d.total) },
    ],
    notes: [],
  };
}

function startupTable(startup: { devenv: number[]; compose: number[] }): DetailTable {
  return {
    title: 'Process start-up floor (median of the same N runs)',
    columns: ['devenv', 'compose'],
    rows: [
      {
        label: '`devenv --version` / `docker-compose version --short`',
        cells: [ms(median(startup.devenv)), ms(median(startup.compose))],
      },
    ],
    notes: [],
  };
}
