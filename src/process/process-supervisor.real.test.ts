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
    const env = buildProcessEnv(process.env, {}, port);
    const supervisor = new ProcessSupervisor({
      name: 'http',
      command: ['node', '-e', SERVER],
      cwd: process.cwd(),
      env,
      restart: 'on-failure',
      clock: systemClock,
      waitReady: processReadyCheck({
        name: 'http',
        readiness: {
          probe: { kind: 'http', path: '/', port, status: undefined },
          intervalMs: 5,
          timeoutMs: 10_000,
        },
        clock: systemClock,
        cwd: process.cwd(),
        env,
      }),
      onStatus: () => undefined,
      onLine: () => undefined,
    });
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
