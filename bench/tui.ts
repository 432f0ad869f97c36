// CPU and memory of devenv itself (the `devenv up` TUI client + the environment's supervisor, not the
// services it runs) on a shop-like stack — postgres, redis, a built API container, a web process and a
// worker — idle for 60 s, then while the worker logs 5,000 lines per second; side by side with
// `docker-compose up` (attached, the same stack, the Node services as containers from node:24).
// Both run in a real terminal (tmux, 160×48). See bench/README.md for what is measured and why.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PAGE_BYTES,
  type ProcessEntry,
  readProcessTable,
  TICKS_PER_SECOND,
} from '../src/host/process-tree-usage.ts';
import { freePorts } from './free-ports.ts';
import { pidFromFile } from './pid-file.ts';
import type { BenchContext, BenchResult, DetailTable } from './types.js';

export const describe =
  'CPU and memory of devenv (TUI client + supervisor) vs docker-compose up (attached): idle, and a service logging 5,000 lines/s';

const IDLE_SECONDS = Number(process.env.BENCH_TUI_IDLE_SECONDS ?? 60);
const CHATTY_SECONDS = Number(process.env.BENCH_TUI_CHATTY_SECONDS ?? 30);
const LINES_PER_SECOND = 5_000;
const KEY_PROBES = 5;
const READY_TIMEOUT_MS = 240_000;

type Tool = 'devenv' | 'compose';

interface Figures {
  cpuPercent: number;
  rssMaxMb: number;
  rssEndMb: number;
  /** Proportional set size: pages shared with other processes (the node binary) counted by share. */
  pssMaxMb: number;
  /** Pages no other process maps: what the machine gets back when devenv exits. */
  privateMaxMb: number;
  engineCpuPercent: number;
  /** devenv only: the supervisor's share of `cpuPercent` and `pssMaxMb` (the rest is the TUI client). */
  supervisor?: { cpuPercent: number; pssMaxMb: number };
}

const WEB = `require('node:http').createServer((_, res) => res.end('web')).listen(Number(process.env.PORT), '0.0.0.0');\n`;
const API = `require('node:http').createServer((_, res) => res.end('api')).listen(Number(process.env.PORT ?? 8080), '0.0.0.0');\n`;
/** Quiet (a line every 5 s) until the flag file exists, then 5,000 lines a second in 10 ms batches. */
const WORKER = `const fs = require('node:fs');
let n = 0;
setInterval(() => {
  if (!fs.existsSync(process.env.CHATTY_FILE)) return;
  for (let i = 0; i < ${LINES_PER_SECOND / 100}; i++) console.log('job ' + ++n + ' processed order=' + (n * 7919) % 100000 + ' status=ok');
}, 10);
setInterval(() => console.log('worker alive, ' + n + ' jobs'), 5000);
`;

export async function run(context: BenchContext): Promise<BenchResult> {
  const { repoRoot, log } = context;
  const id = randomBytes(3).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'devenv-bench-tui-'));
  const socket = `devenv-bench-tui-${id}`;
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const devenvProject = `bench-tui-${id}`;
  const composeProject = `bench-tui-compose-${id}`;
  const stateDir = join(dir, 'state');
  const [apiPort, webPort, cApiPort, cWebPort, routerPort] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const devenvDir = join(dir, 'devenv');
  const composeDir = join(dir, 'compose');
  await writeStack(devenvDir, composeDir, devenvProject, { apiPort, webPort, cApiPort, cWebPort });
  const devenvEnv = `DEVENV_STATE_DIR=${stateDir} DEVENV_ROUTER_PORT=${routerPort} TERM=xterm-256color`;
  const node = process.execPath;
  const devenvJs = join(repoRoot, 'bin/devenv.js');
  const results: Record<Tool, { idle?: Figures; chatty?: Figures; keyMs?: number[] }> = {
    devenv: {},
    compose: {},
  };

  const cleanup = (): void => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    // tmux leaves its socket file behind.
    spawnSync('rm', [
      '-f',
      join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket),
    ]);
    spawnSync(node, [devenvJs, 'down', '--volumes'], {
      cwd: devenvDir,
      env: { ...process.env, DEVENV_STATE_DIR: stateDir, DEVENV_ROUTER_PORT: String(routerPort) },
    });
    spawnSync('docker-compose', ['-p', composeProject, 'down', '-v', '--rmi', 'local'], { cwd: composeDir });
    spawnSync('docker', ['image', 'rm', '-f', `devenv/${devenvProject}-api:default`]);
  };

  try {
    for (const tool of ['devenv', 'compose'] as const) {
      const cwd = tool === 'devenv' ? devenvDir : composeDir;
      const command =
        tool === 'devenv'
          ? `env -u NO_COLOR -u CI ${devenvEnv} ${node} ${devenvJs} up`
          : `docker-compose -p ${composeProject} up --build`;
      log(`tui: ${tool}: starting the stack in tmux (${command})`);
      tmux('new-session', '-d', '-s', tool, '-x', '160', '-y', '48', '-c', cwd, `${command}; sleep 600`);
      await waitUntil(`${tool} ready`, async () => {
        // devenv's API port on the host is derived; its readiness shows on the screen.
        const ports = tool === 'devenv' ? [webPort] : [cApiPort, cWebPort];
        const answers = await Promise.all(ports.map((port) => get(port).catch(() => undefined)));
        if (answers.some((answer) => answer === undefined)) return false;
        if (tool === 'compose') return true;
        const screen = tmux('capture-pane', '-p', '-t', tool);
        return ['db', 'cache', 'api', 'web', 'worker'].every((name) =>
          new RegExp(`^.?${name}\\s+ready\\b`, 'm').test(screen),
        );
      });
      await sleep(5_000);
      const panePid = Number(tmux('display-message', '-p', '-t', tool, '#{pane_pid}').trim());
      // The supervisor is the CLI's child; its own children are the user's services, not devenv.
      const supervisorPid =
        tool === 'devenv'
          ? await pidFromFile(join(stateDir, devenvProject, 'default', 'supervisor.pid'))
          : undefined;
      const own = async (): Promise<number[]> => {
        const table = (await readProcessTable()) ?? [];
        // The pane's shell → the tool's processes (devenv: the CLI; compose: its bootloader + Python).
        const tree = descendants(table, panePid).filter((pid) => pid !== panePid && !isSleep(table, pid));
        if (supervisorPid === undefined) return tree;
        const services = new Set(descendants(table, supervisorPid).filter((pid) => pid !== supervisorPid));
        return [...new Set([...tree.filter((pid) => !services.has(pid)), supervisorPid])];
      };
      const pids = await own();
      log(`tui: ${tool}: measuring processes ${pids.join(', ')} idle for ${IDLE_SECONDS} s`);
      results[tool].idle = await measure(pids, IDLE_SECONDS, supervisorPid);
      log(`tui: ${tool}: ${LINES_PER_SECOND} lines/s for ${CHATTY_SECONDS} s`);
      await writeFile(join(cwd, 'chatty'), '');
      await sleep(3_000);
      const measuring = measure(pids, CHATTY_SECONDS, supervisorPid);
      if (tool === 'devenv') {
        await sleep(2_000);
        results.devenv.keyMs = await keyLatencies(tmux, tool);
      }
      results[tool].chatty = await measuring;
      await unlink(join(cwd, 'chatty'));
      if (tool === 'devenv') {
        tmux('send-keys', '-t', tool, 'q');
        await waitUntil('devenv stopped', async () =>
          tmux('capture-pane', '-p', '-t', tool).includes('Stopped.'),
        );
      }
      tmux('kill-session', '-t', tool);
      if (tool === 'compose')
        spawnSync('docker-compose', ['-p', composeProject, 'stop'], { cwd: composeDir });
    }
  } finally {
    log('tui: cleaning up');
    cleanup();
    await rm(dir, { recursive: true, force: true });
  }

  const cell = (figures: Figures | undefined, pick: (f: Figures) => string): string =>
    figures ? pick(figures) : 'n/a';
  const rows = (['idle', 'chatty'] as const).flatMap((scenario) =>
    (['devenv', 'compose'] as const).map((tool) => {
      const figures = results[tool][scenario];
      return {
        label: `${scenario === 'idle' ? `idle ${IDLE_SECONDS} s` : `${LINES_PER_SECOND} lines/s, ${CHATTY_SECONDS} s`}: ${tool === 'devenv' ? 'devenv (TUI + supervisor)' : 'docker-compose up'}`,
        cells: [
          cell(figures, (f) => `${f.cpuPercent.toFixed(2)} %`),
          cell(figures, (f) => `${f.rssMaxMb.toFixed(0)} MB`),
          cell(figures, (f) => `${f.rssEndMb.toFixed(0)} MB`),
          cell(figures, (f) => `${f.pssMaxMb.toFixed(0)} MB`),
          cell(figures, (f) => `${f.privateMaxMb.toFixed(0)} MB`),
          cell(figures, (f) => `${f.engineCpuPercent.toFixed(2)} %`),
        ],
      };
    }),
  );
  const keys = results.devenv.keyMs ?? [];
  const details: DetailTable[] = [
    {
      title:
        'CPU (percent of one core, averaged over the window) and resident memory of the tool’s own processes',
      columns: ['CPU', 'RSS max', 'RSS at end', 'PSS max', 'private max', 'dockerd + containerd CPU'],
      rows,
      notes: [
        'devenv: the `devenv up` process (the TUI) plus the environment’s supervisor, not the services it runs; docker-compose: its own processes (the PyInstaller bootloader and Python). The last column is the engine’s CPU over the same window: compose attached follows every container’s log stream through the engine, devenv reads local processes’ output from pipes and samples container stats every 5 s while the TUI is open.',
        'RSS counts every page a process maps, so two Node processes each count the whole node binary (~55 MB of shared, clean text); PSS (`/proc/<pid>/smaps_rollup`) divides shared pages among the processes that map them; “private” is what only these processes hold.',
        `Of devenv's figures, the supervisor's share (the rest is the TUI client): ${(
          ['idle', 'chatty'] as const
        )
          .map((scenario) => {
            const share = results.devenv[scenario]?.supervisor;
            return share
              ? `${scenario === 'idle' ? 'idle' : 'chatty'} ${share.cpuPercent.toFixed(2)} % CPU, ${share.pssMaxMb.toFixed(0)} MB PSS`
              : `${scenario} n/a`;
          })
          .join('; ')}.`,
        `Key latency under load (devenv TUI, \`?\` pressed → help visible in the tmux capture, polled every 10 ms): ${keys.map((value) => `${Math.round(value)} ms`).join(', ') || 'n/a'}.`,
      ],
    },
  ];
  const peer = `docker-compose ${execFileSync('docker-compose', ['version', '--short'], { encoding: 'utf8' }).trim()}`;
  return { peer, scenarios: [], details };
}

async function measure(
  pids: readonly number[],
  seconds: number,
  supervisorPid: number | undefined,
): Promise<Figures> {
  const engine = await engineProcesses();
  const before = await ticksOf([...pids, ...engine]);
  const start = Date.now();
  let rssMax = 0;
  let rssEnd = 0;
  let pssMax = 0;
  let privateMax = 0;
  let supervisorPssMax = 0;
  while (Date.now() - start < seconds * 1000) {
    await sleep(1_000);
    const rollups = await Promise.all(pids.map(memoryRollup));
    pssMax = Math.max(
      pssMax,
      rollups.reduce((sum, r) => sum + r.pssKb, 0),
    );
    const supervisorIndex = supervisorPid === undefined ? -1 : pids.indexOf(supervisorPid);
    supervisorPssMax = Math.max(supervisorPssMax, rollups[supervisorIndex]?.pssKb ?? 0);
    privateMax = Math.max(
      privateMax,
      rollups.reduce((sum, r) => sum + r.privateKb, 0),
    );
    rssEnd =
      (await readProcessTable())
        ?.filter((entry) => pids.includes(entry.pid))
        .reduce((sum, e) => sum + e.rssPages, 0) ?? 0;
    rssMax = Math.max(rssMax, rssEnd);
  }
  const after = await ticksOf([...pids, ...engine]);
  const elapsed = (Date.now() - start) / 1000;
  const percent = (list: readonly number[]) =>
    (list.reduce((sum, pid) => sum + ((after.get(pid) ?? 0) - (before.get(pid) ?? 0)), 0) /
      TICKS_PER_SECOND /
      elapsed) *
    100;
  return {
    cpuPercent: percent(pids),
    rssMaxMb: (rssMax * PAGE_BYTES) / 1e6,
    rssEndMb: (rssEnd * PAGE_BYTES) / 1e6,
    pssMaxMb: (pssMax * 1024) / 1e6,
    privateMaxMb: (privateMax * 1024) / 1e6,
    engineCpuPercent: percent(engine),
    ...(supervisorPid === undefined
      ? {}
      : { supervisor: { cpuPercent: percent([supervisorPid]), pssMaxMb: (supervisorPssMax * 1024) / 1e6 } }),
  };
}

/** Pss and Private_Clean + Private_Dirty of one process, in kB; zeros when it is gone. */
async function memoryRollup(pid: number): Promise<{ pssKb: number; privateKb: number }> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { pssKb: field('Pss'), privateKb: field('Private_Clean') + field('Private_Dirty') };
}

async function ticksOf(pids: readonly number[]): Promise<Map<number, number>> {
  const table = (await readProcessTable()) ?? [];
  return new Map(
    table.filter((entry) => pids.includes(entry.pid)).map((entry) => [entry.pid, entry.cpuTicks]),
  );
}

async function engineProcesses(): Promise<number[]> {
  const table = (await readProcessTable()) ?? [];
  const names = await Promise.all(
    table.map(
      async (entry) =>
        [entry.pid, (await readFile(`/proc/${entry.pid}/comm`, 'utf8').catch(() => '')).trim()] as const,
    ),
  );
  return names.filter(([, name]) => name === 'dockerd' || name === 'containerd').map(([pid]) => pid);
}

function descendants(table: readonly ProcessEntry[], root: number): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const entry of table)
      if (entry.ppid === found[i] && !found.includes(entry.pid)) found.push(entry.pid);
  }
  return found;
}

function isSleep(table: readonly ProcessEntry[], pid: number): boolean {
  try {
    return execFileSync('cat', [`/proc/${pid}/comm`], { encoding: 'utf8' }).trim() === 'sleep';
  } catch {
    return !table.some((entry) => entry.pid === pid);
  }
}

/** `?` → the help overlay on screen, then any key → back; the time to see each change. */
async function keyLatencies(tmux: (...args: string[]) => string, session: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < KEY_PROBES; i++) {
    const start = performance.now();
    tmux('send-keys', '-t', session, '?');
    await waitUntil(
      'help shown',
      async () => tmux('capture-pane', '-p', '-t', session).includes('devenv keys'),
      10,
    );
    latencies.push(performance.now() - start);
    tmux('send-keys', '-t', session, 'x');
    await waitUntil(
      'help closed',
      async () => !tmux('capture-pane', '-p', '-t', session).includes('devenv keys'),
      10,
    );
    await sleep(500);
  }
  return latencies;
}

async function waitUntil(what: string, test: () => Promise<boolean>, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function writeStack(
  devenvDir: string,
  composeDir: string,
  project: string,
  ports: { apiPort: number; webPort: number; cApiPort: number; cWebPort: number },
): Promise<void> {
  for (const base of [devenvDir, composeDir]) {
    await mkdir(join(base, 'api'), { recursive: true });
    await writeFile(join(base, 'api/server.js'), API);
    await writeFile(
      join(base, 'api/Dockerfile'),
      'FROM node:24\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
    );
    await writeFile(join(base, 'web.js'), WEB);
    await writeFile(join(base, 'worker.js'), WORKER);
  }
  await writeFile(
    join(devenvDir, 'devenv.yaml'),
    `name: ${project}
dependencies:
  db:
    preset: postgres
  cache:
    preset: redis
services:
  api:
    build: ./api
    port: 8080
    ready:
      http: /
  web:
    run: node web.js
    port: ${ports.webPort}
    ready:
      http: /
  worker:
    run: node worker.js
    env:
      CHATTY_FILE: ${join(devenvDir, 'chatty')}
`,
  );
  await writeFile(
    join(composeDir, 'compose.yaml'),
    `version: "3.8"
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD: postgres
  cache:
    image: redis:8
  api:
    build: ./api
    ports: ["127.0.0.1:${ports.cApiPort}:8080"]
  web:
    image: node:24
    working_dir: /app
    volumes: [".:/app"]
    command: [node, web.js]
    environment:
      PORT: "3000"
    ports: ["127.0.0.1:${ports.cWebPort}:3000"]
  worker:
    image: node:24
    working_dir: /app
    volumes: [".:/app"]
    command: [node, worker.js]
    environment:
      CHATTY_FILE: /app/chatty
`,
  );
}
