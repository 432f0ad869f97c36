import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineHostPorts } from '../host/host-ports.js';
import { systemClock } from '../util/clock.js';
import { buildProcessEnv } from './process-env.js';
import { isPidAlive } from './process-group.js';
import { ProcessSupervisor } from './process-supervisor.js';
import { startProcess } from './start-process.js';
import { processReadyCheck } from './wait-process-ready.js';

const SERVER = `require('node:http').createServer((_, res) => res.end('ok')).listen(process.env.PORT, '127.0.0.1')`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Numbers for the record: what stopping and restarting a trivial node HTTP server costs here. */
describe('latency of a real node HTTP server', () => {
  it('stops within a few tens of milliseconds', async () => {
    const port = await machineHostPorts.pickFree();
    const env = buildProcessEnv(process.env, {}, port);
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const proc = await startProcess({
        command: ['node', '-e', SERVER],
        cwd: process.cwd(),
        env,
        onLine: () => undefined,
      });
      const ready = processReadyCheck({
        name: 'http',
        readiness: { probe: { kind: 'tcp', port }, intervalMs: 10, timeoutMs: 10_000 },
        clock: systemClock,
        cwd: process.cwd(),
        env,
      });
      await ready(
        { pid: proc.pid, startedAt: Date.now(), onLine: () => () => undefined },
        new AbortController().signal,
      );
      const started = performance.now();
      await proc.stop(5_000);
      timings.push(performance.now() - started);
      expect(await isPidAlive(proc.pid)).toBe(false);
    }
    console.info(
      `stop latency (ms): ${timings.map((t) => t.toFixed(1)).join(', ')}; median ${median(timings).toFixed(1)}`,
    );
    expect(median(timings)).toBeLessThan(1_000);
  });

  it('restarts to the first successful HTTP response quickly', async () => {
    const port = await machineHostPorts.pickFree();
    const supervisor = httpSupervisor(['node', '-e', SERVER], process.cwd(), port, false);
    try {
      expect(await supervisor.restart('first start')).toMatchObject({ ok: true });
      const timings: number[] = [];
      for (let i = 0; i < 5; i++) {
        const outcome = await supervisor.restart('measure', Date.now());
        if (!outcome.ok) throw new Error(outcome.detail);
        timings.push(outcome.reloadMs);
      }
      console.info(`restart → first HTTP 200 (ms): ${timings.join(', ')}; median ${median(timings)}`);
      expect(median(timings)).toBeLessThan(2_000);
    } finally {
      await supervisor.stop();
    }
  });
});

describe('warm start of a real node HTTP server', () => {
  it('restarts into the spare, which runs the code on disk at the restart, and stops it with the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devenv-warm-'));
    const port = await machineHostPorts.pickFree();
    const server = (version: string) =>
      `require('node:http').createServer((_, res) => res.end('${version} ' + process.pid)).listen(process.env.PORT, '127.0.0.1')`;
    writeFileSync(join(dir, 'server.js'), server('v1'));
    const supervisor = httpSupervisor(['node', 'server.js'], dir, port, true);
    const spareOf = async (): Promise<number> => {
      const deadline = Date.now() + 5_000;
      while (supervisor.groups.length < 2 && Date.now() < deadline) await sleep(5);
      const spare = supervisor.groups[1];
      if (spare === undefined) throw new Error('no spare started');
      return spare;
    };
    try {
      expect(await supervisor.restart('first start')).toMatchObject({ ok: true });
      expect(await fetchText(port)).toMatch(/^v1 /);
      const timings: number[] = [];
      for (let i = 2; i <= 6; i++) {
        const spare = await spareOf();
        await sleep(100); // the spare is paused in its preload by now
        writeFileSync(join(dir, 'server.js'), server(`v${i}`));
        const outcome = await supervisor.restart('server.js changed', Date.now());
        if (!outcome.ok) throw new Error(outcome.detail);
        timings.push(outcome.reloadMs);
        expect(await fetchText(port)).toBe(`v${i} ${spare}`);
      }
      console.info(`warm restart → first HTTP 200 (ms): ${timings.join(', ')}; median ${median(timings)}`);
      const [running, spare] = [supervisor.status.pid, await spareOf()];
      await supervisor.stop();
      expect(await isPidAlive(running ?? 0)).toBe(false);
      expect(await isPidAlive(spare)).toBe(false);
      expect(supervisor.groups).toEqual([]);
    } finally {
      await supervisor.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A supervisor of `command` in `cwd` that is ready once `port` answers HTTP. */
function httpSupervisor(command: string[], cwd: string, port: number, warmStart: boolean) {
  const env = buildProcessEnv(process.env, {}, port);
  return new ProcessSupervisor({
    name: 'http',
    command,
    cwd,
    env,
    restart: 'on-failure',
    clock: systemClock,
    warmStart,
    waitReady: processReadyCheck({
      name: 'http',
      readiness: {
        probe: { kind: 'http', path: '/', port, status: undefined },
        intervalMs: 5,
        timeoutMs: 10_000,
      },
      clock: systemClock,
      cwd,
      env,
    }),
    onStatus: () => undefined,
    onLine: () => undefined,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchText(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return response.text();
}
