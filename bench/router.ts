// The devenv router against direct access and against nginx (Debian's package) as a reverse proxy to
// the same upstream, for a small and a 1 MiB response at 50 connections, with the floor of any proxy
// written in Node beside them: a TCP relay that parses nothing. See bench/README.md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import type { connectRouter as ConnectRouter } from '../src/router/connect-router.js';
import { type CpuStalls, measureCpuStalls } from './cpu-stalls.ts';
import { freePorts } from './free-ports.ts';
import { pidFromFile } from './pid-file.ts';
import type { BenchContext, BenchResult, DetailTable } from './types.js';

export const describe =
  'Reverse proxy at 50 connections, small and 1 MiB responses: direct vs devenv router vs nginx (and a bare TCP relay as the floor)';

const CONNECTIONS = 50;
const ROUNDS = 3;
const SECONDS = 5;
const HOST = 'api.bench.localhost';
/** Rates of the added-latency runs, at most: well below every target's capacity on a quiet machine. */
const RATES = { small: 1000, large: 100 } as const;
/** …and at most this share of the slowest target's measured throughput, so that nothing queues. */
const PACED_SHARE = 0.25;
/**
 * Added latency is measured in short slices, the targets taking turns, and its percentiles are of all
 * the samples of a target: a moment when the machine is busy then falls on every target alike, where
 * 5-s runs gave one target a busy moment and the next a quiet one.
 */
const PACED_SLICES = 15;
const PACED_SLICE_SECONDS = 1;
/** How long the machine's own stalls are probed, before the runs and after them. */
const STALL_PROBE_SECONDS = 3;
const PATHS = { small: '/small', large: '/large' } as const;
type Size = keyof typeof PATHS;
type Target = 'direct' | 'devenv' | 'nginx' | 'tcp-relay';
const TARGETS: readonly Target[] = ['direct', 'devenv', 'nginx', 'tcp-relay'];

/** The upstream: its own process, so the load generator and the proxies do not share its thread. */
const UPSTREAM = `
const http = require('node:http');
const small = Buffer.from('hello world\\n');
const large = Buffer.alloc(1024 * 1024, 97);
http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
  const body = req.url === '/large' ? large : small;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

/**
 * The floor of any proxy written in Node: a TCP relay that pipes each connection to the upstream and
 * parses nothing (no routing, no headers, no access log). What it adds is the extra hop itself.
 */
const TCP_RELAY = `
const net = require('node:net');
const [port, upstream] = process.argv.slice(1).map(Number);
net.createServer({ noDelay: true }, (client) => {
  const up = net.connect({ port: upstream, host: '127.0.0.1', noDelay: true });
  client.pipe(up).pipe(client);
  client.on('error', () => up.destroy());
  up.on('error', () => client.destroy());
}).listen(port, '127.0.0.1');
`;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU time (user + system) of the process serving the port, per response, in µs; saturated runs only. */
  cpuUs?: number;
  /** The p99 of each paced slice, in order; paced runs only. */
  sliceP99s?: number[];
}

export async function run(context: BenchContext): Promise<BenchResult> {
  const { repoRoot, log } = context;
  const dir = await mkdtemp(join(tmpdir(), 'devenv-bench-router-'));
  const children: ChildProcess[] = [];
  const [upstreamPort, routerPort, nginxPort, relayPort] = (await freePorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const env = {
    ...process.env,
    DEVENV_STATE_DIR: join(dir, 'state'),
    DEVENV_ROUTER_PORT: String(routerPort),
  };
  let closeRouter: (() => void) | undefined;
  try {
    children.push(spawn(process.execPath, ['-e', UPSTREAM, String(upstreamPort)], { stdio: 'ignore' }));
    children.push(await startNginx(dir, nginxPort, upstreamPort));
    children.push(
      spawn(process.execPath, ['-e', TCP_RELAY, String(relayPort), String(upstreamPort)], {
        stdio: 'ignore',
      }),
    );

    // The real router process, started on demand exactly as a supervisor does, from the built code.
    const { connectRouter } = (await import(
      new URL('../dist/router/connect-router.js', `file://${repoRoot}/`).href
    )) as { connectRouter: typeof ConnectRouter };
    const router = await connectRouter(env);
    closeRouter = () => router.close();
    await router.publish({ project: 'bench', env: 'default' }, [
      { service: 'api', host: HOST, port: upstreamPort, state: 'ready' },
    ]);

    const ports: Record<Target, number> = {
      direct: upstreamPort,
      devenv: routerPort,
      nginx: nginxPort,
      'tcp-relay': relayPort,
    };
    for (const target of TARGETS) await waitForAnswer(ports[target]);
    // Whose CPU time each target costs: the upstream's for direct access, the proxy's otherwise (nginx's
    // one worker, the child of its master). Contention on a shared machine moves throughput a lot, CPU
    // time per request much less.
    const [upstream, nginx, relay] = children;
    const routerPid = await pidFromFile(join(dir, 'state', '_router', 'router.pid'));
    const nginxWorker = Number(
      (await readFile(`/proc/${nginx?.pid}/task/${nginx?.pid}/children`, 'utf8')).trim().split(' ')[0],
    );
    const pids: Record<Target, number> = {
      direct: upstream?.pid ?? 0,
      devenv: routerPid,
      nginx: nginxWorker,
      'tcp-relay': relay?.pid ?? 0,
    };
    const nginxVersion = spawnSync('nginx', ['-v'], { encoding: 'utf8' })
      .stderr.trim()
      .replace('nginx version: ', '');

    // Everything is started and idle: what the probe sees is the machine, not the benchmark.
    log(`router: the machine's own stalls, ${STALL_PROBE_SECONDS} s`);
    const stallsBefore = await measureCpuStalls(STALL_PROBE_SECONDS);
    const saturated = new Map<string, Measured[]>();
    const paced = new Map<string, Measured[]>();
    const add = (into: Map<string, Measured[]>, key: string, measured: Measured): void => {
      into.set(key, [...(into.get(key) ?? []), measured]);
    };
    const rates: Record<Size, number> = { ...RATES };
    for (const size of ['small', 'large'] as const) {
      for (const target of TARGETS) await measure(ports[target], size, 1); // warm-up: JIT, keep-alive pools
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of TARGETS) {
          log(`router: ${size} ${target} saturated, round ${round + 1}/${ROUNDS}`);
          const before = await cpuMs(pids[target]);
          const measured = await measure(ports[target], size, SECONDS);
          const cpuUs = ((await cpuMs(pids[target])) - before) * 1000;
          add(saturated, `${size}:${target}`, { ...measured, cpuUs: cpuUs / (measured.rps * SECONDS) });
        }
      }
      // One rate for every target, well below the slowest one's capacity as measured just now: on a
      // machine shared with other work, a fixed rate can be near a proxy's capacity, and the figure
      // would then be queueing, not the proxy's own latency.
      const slowest = Math.min(...TARGETS.map((target) => summary(saturated.get(`${size}:${target}`)).rps));
      rates[size] = Math.min(RATES[size], Math.max(10, Math.round(slowest * PACED_SHARE)));
      const samples = new Map<Target, { latencies: number[]; failed: number; sliceP99s: number[] }>(
        TARGETS.map((target) => [target, { latencies: [], failed: 0, sliceP99s: [] }]),
      );
      for (let slice = 0; slice < PACED_SLICES; slice++) {
        if (slice % 5 === 0)
          log(`router: ${size} at ${rates[size]} req/s, slices ${slice + 1}–${slice + 5}/${PACED_SLICES}`);
        for (const target of TARGETS) {
          const into = samples.get(target);
          if (into === undefined) continue;
          const before = into.latencies.length;
          await measurePaced(ports[target], size, PACED_SLICE_SECONDS, rates[size], into);
          into.sliceP99s.push(percentiles(into.latencies.slice(before), 0, PACED_SLICE_SECONDS).p99);
        }
      }
      for (const [target, { latencies, failed, sliceP99s }] of samples)
        add(paced, `${size}:${target}`, {
          ...percentiles(latencies, failed, PACED_SLICES * PACED_SLICE_SECONDS),
          sliceP99s,
        });
    }
    log(`router: the machine's own stalls again, ${STALL_PROBE_SECONDS} s`);
    const stallsAfter = await measureCpuStalls(STALL_PROBE_SECONDS);
    return {
      peer: nginxVersion,
      scenarios: [],
      details: [
        throughputTable(saturated),
        latencyTable(paced, rates),
        stallTable({ 'before the runs': stallsBefore, 'after the runs': stallsAfter }),
      ],
    };
  } finally {
    closeRouter?.();
    for (const child of children) child.kill('SIGTERM');
    await sleep(200);
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(port: number, size: Size, seconds: number, overallRate?: number): Promise<Measured> {
  const samples: number[] = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${port}${PATHS[size]}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { host: `${HOST}:${port}` },
    ...(overallRate === undefined ? {} : { overallRate }),
  });
  // autocannon's own histogram has 1 ms resolution; its per-response times are hrtime-precise.
  instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
  const result = await instance;
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return {
    rps: samples.length / result.duration,
    p50: at(0.5),
    p99: at(0.99),
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Added latency needs an evenly paced, open-loop load: autocannon's `overallRate` lets every connection
 * send its whole per-second quota at the start of each second, so a "1000 req/s" run is a 1000-request
 * burst at full concurrency, i.e. queueing. Here request i is due at `i / rate` seconds, on connection
 * `i mod 50`; its latency counts from when it is due if its connection is still busy (so queueing is
 * not hidden, as wrk2 does), else from when it is written. Raw keep-alive sockets and a minimal
 * parser keep the generator's own cost small, and it is the same for every target.
 */
async function measurePaced(
  port: number,
  size: Size,
  seconds: number,
  rate: number,
  into: { latencies: number[]; failed: number },
): Promise<void> {
  const head = Buffer.from(`GET ${PATHS[size]} HTTP/1.1\r\nHost: ${HOST}:${port}\r\n\r\n`);
  const samples: number[] = [];
  let failed = 0;
  const connections = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => pacedConnection(port, head, samples, () => failed++)),
  );
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      for (; next < total && start + (next * 1000) / rate <= now; next++) {
        connections[next % CONNECTIONS]?.send(start + (next * 1000) / rate);
      }
      if (next < total) setTimeout(tick, Math.max(0, start + (next * 1000) / rate - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(connections.map((connection) => connection.drained()));
  for (const connection of connections) connection.close();
  into.latencies.push(...samples);
  into.failed += failed + total - samples.length;
}

/** p50 and p99 of `latencies` (ms), gathered over `seconds` of paced load. */
function percentiles(latencies: number[], failed: number, seconds: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { rps: sorted.length / seconds, p50: at(0.5), p99: at(0.99), failed };
}

interface PacedConnection {
  /** Sends one request due at `due` (a `performance.now()` time). */
  send(due: number): void;
  /** Resolves once every request sent has its response (or the socket failed). */
  drained(): Promise<void>;
  close(): void;
}

function pacedConnection(
  port: number,
  head: Buffer,
  samples: number[],
  fail: () => void,
): Promise<PacedConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
    /**
     * When each request not answered yet started to count, oldest first; the first one is on the wire.
     * One written at once counts from its write; one queued behind a busy connection from when it was due.
     */
    const queue: number[] = [];
    let buffered: Buffer = Buffer.alloc(0);
    let bodyLeft = -1;
    let idle: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        if (bodyLeft < 0) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          const headers = buffered.subarray(0, end).toString('latin1');
          const status = Number(headers.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
          if (length === null) throw new Error('the paced generator needs Content-Length responses');
          if (status !== 200) fail();
          bodyLeft = Number(length[1]);
          buffered = buffered.subarray(end + 4);
        }
        if (buffered.length < bodyLeft) {
          bodyLeft -= buffered.length;
          buffered = Buffer.alloc(0);
          return;
        }
        buffered = buffered.subarray(bodyLeft);
        bodyLeft = -1;
        samples.push(performance.now() - (queue.shift() ?? 0));
        if (queue.length > 0) socket.write(head);
        else idle?.();
      }
    });
    socket.once('error', (error) => {
      for (const _ of queue) fail();
      queue.length = 0;
      idle?.();
      reject(error);
    });
    socket.once('connect', () =>
      resolve({
        send(due) {
          if (queue.length > 0) {
            queue.push(due);
            return;
          }
          queue.push(performance.now());
          socket.write(head);
        },
        drained: () =>
          queue.length === 0
            ? Promise.resolve()
            : new Promise<void>((done) => {
                idle = done;
              }),
        close: () => socket.destroy(),
      }),
    );
  });
}

/** `x` with its sign, to 3 decimals. */
const signed = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(3)}`;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const summary = (runs: readonly Measured[] = []) => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  failed: sum(runs.map((r) => r.failed)),
  cpuUs: median(runs.map((r) => r.cpuUs ?? 0)),
});
const label = (size: Size): string => (size === 'small' ? 'small (12 B)' : '1 MiB');

function throughputTable(saturated: ReadonlyMap<string, Measured[]>): DetailTable {
  const rows = (['small', 'large'] as const).flatMap((size) => {
    const nginx = summary(saturated.get(`${size}:nginx`));
    return TARGETS.map((target) => {
      const s = summary(saturated.get(`${size}:${target}`));
      return {
        label: `${label(size)}, ${target}`,
        cells: [
          Math.round(s.rps).toLocaleString('en-US'),
          target === 'direct' ? '—' : `${(s.rps / nginx.rps).toFixed(2)}×`,
          s.p50.toFixed(2),
          s.p99.toFixed(2),
          String(s.failed),
          `${Math.round(s.cpuUs)} µs${target === 'direct' ? ' (upstream)' : ''}`,
        ],
      };
    });
  });
  return {
    title: `Throughput at saturation: ${CONNECTIONS} connections, ${SECONDS} s per run, median of ${ROUNDS} runs`,
    columns: ['req/s', 'vs nginx', 'p50 ms', 'p99 ms', 'failed (all runs)', 'CPU per request'],
    rows,
    notes: [
      'Saturated latency is mostly queueing (50 requests in flight ÷ throughput), so it follows throughput; the added latency of each proxy is in the next table.',
      'CPU per request: user + system time of the proxy process (for direct access, of the upstream) during the run, from /proc, divided by the responses. The load generator, the upstream and the proxy share the 2 cores, so throughput also depends on how much CPU each proxy leaves to the others.',
    ],
  };
}

function latencyTable(paced: ReadonlyMap<string, Measured[]>, rates: Record<Size, number>): DetailTable {
  const rows = (['small', 'large'] as const).flatMap((size) => {
    const direct = summary(paced.get(`${size}:direct`));
    const directSlices = paced.get(`${size}:direct`)?.[0]?.sliceP99s ?? [];
    return TARGETS.map((target) => {
      const s = summary(paced.get(`${size}:${target}`));
      // Each slice against direct access's slice of the same round: a busy moment of the machine
      // then counts in one slice's figure only, and the median leaves it out.
      const sliceAdded = (paced.get(`${size}:${target}`)?.[0]?.sliceP99s ?? []).map(
        (p99, slice) => p99 - (directSlices[slice] ?? 0),
      );
      return {
        label: `${label(size)} at ${rates[size]} req/s, ${target}`,
        cells: [
          s.p50.toFixed(3),
          s.p99.toFixed(3),
          target === 'direct' ? '—' : `+${(s.p50 - direct.p50).toFixed(3)}`,
          target === 'direct' ? '—' : `+${(s.p99 - direct.p99).toFixed(3)}`,
          target === 'direct' ? '—' : signed(median(sliceAdded)),
          String(s.failed),
        ],
      };
    });
  });
  return {
    title: `Added latency: ${CONNECTIONS} connections, evenly paced at one rate for all (at most ${RATES.small} / ${RATES.large} req/s and ${PACED_SHARE * 100} % of the slowest target's throughput), ${PACED_SLICES} slices of ${PACED_SLICE_SECONDS} s per target, the targets taking turns; percentiles of all samples`,
    columns: [
      'p50 ms',
      'p99 ms',
      'added p50 ms',
      'added p99 ms',
      'added p99 ms, median slice',
      'failed (all runs)',
    ],
    rows,
    notes: [
      `Open-loop generator (\`measurePaced\`): request i is due at i / rate on connection i mod 50, timed from its write, or from when it was due if its connection was still busy; “added” is the proxy’s figure minus direct access. \`tcp-relay\` is a Node process that pipes each connection to the upstream and parses nothing: the floor of any proxy written in Node on this machine. The p99 includes the moments other work on the machine takes the CPU from the proxy. “Median slice”: for each of the ${PACED_SLICES} slices, the proxy’s p99 minus direct access’s p99 in the same round, and the median of those: a busy moment of the shared machine falls in a few slices and is left out, where it can set the p99 of all samples.`,
    ],
  };
}

/** nginx as Debian ships it, as a reverse proxy with upstream keep-alive, one worker (like the router's one thread). */
async function startNginx(dir: string, port: number, upstreamPort: number): Promise<ChildProcess> {
  const prefix = join(dir, 'nginx');
  await mkdir(prefix, { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 4096; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      add_header X-Request-Id $request_id;
    }
  }
}
`,
  );
  return spawn('nginx', ['-p', prefix, '-c', conf, '-e', `${prefix}/error.log`], { stdio: 'ignore' });
}

/** User + system CPU time of a process so far, in ms (Linux: /proc/PID/stat, in clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state, field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function waitForAnswer(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/small', headers: { host: HOST } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`nothing answers on port ${port}`);
}

function stallTable(probes: Record<string, CpuStalls>): DetailTable {
  const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;
  return {
    title: `The machine's own stalls: one process per core that never sleeps, ${STALL_PROBE_SECONDS} s, nothing else of the benchmark running`,
    columns: [
      'time not running',
      'stalls > 1 ms, per s per core',
      'stalls > 2 ms, per s per core',
      'steal (/proc/stat)',
    ],
    rows: Object.entries(probes).map(([when, stalls]) => ({
      label: when,
      cells: [
        percent(stalls.lostShare),
        stalls.over1PerSecond.toFixed(1),
        stalls.over2PerSecond.toFixed(1),
        percent(stalls.stealShare),
      ],
    })),
    notes: [
      'A gap of more than 50 µs between two clock reads of a busy loop is time the process did not run: the hypervisor running something else on the core (only part of it is accounted as steal), the kernel’s own work, or another process of the machine. A request whose process meets such a stall waits for it, with or without a proxy; the proxy adds one more process to the path (two more wake-ups per request). At 1000 req/s, stalls of 1 ms and more several times per second per core touch more than 1 % of the requests, so they, not the proxy’s own work, set the p99 above, for direct access too. A p99 under 1 ms can only be shown on a machine that stalls much less often than that.',
    ],
  };
}
