import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineHostPorts } from '../host/host-ports.js';
import { buildProcessEnv } from '../process/process-env.js';
import { isGroupAlive, isPidAlive } from '../process/process-group.js';
import type { ProcessStatus, RestartOutcome } from '../process/process-status.js';
import { ProcessSupervisor } from '../process/process-supervisor.js';
import { processReadyCheck } from '../process/wait-process-ready.js';
import { systemClock } from '../util/clock.js';
import { debounceBatches } from './debounce-batches.js';
import { planWatchActions } from './plan-watch-actions.js';
import { watchFiles } from './watch-files.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

const server = (body: string) => `
const http = require('node:http');
http.createServer((_, res) => res.end(${JSON.stringify(body)}))
  .listen(process.env.PORT, '127.0.0.1', () => console.log('listening pid=' + process.pid));
`;

/** The pipeline the supervisor will wire: watch → debounce → plan → restart, on one real service. */
async function startEnvironment() {
  const dir = await mkdtemp(join(tmpdir(), 'devenv-reload-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'server.js'), server('v1'));
  await writeFile(join(dir, 'devenv.yaml'), 'services: {}\n');
  const port = await machineHostPorts.pickFree();
  const env = buildProcessEnv(process.env, {}, port);
  const statuses: ProcessStatus[] = [];
  const pids = new Set<number>();
  const supervisor = new ProcessSupervisor({
    name: 'api',
    // Through a shell, so the server is a grandchild: stopping must reach it too.
    command: ['sh', '-c', 'node server.js & wait $!'],
    cwd: dir,
    env,
    restart: 'on-failure',
    clock: systemClock,
    backoff: { initialMs: 50 },
    stopGraceMs: 2_000,
    waitReady: processReadyCheck({
      name: 'api',
      readiness: {
        probe: { kind: 'http', path: '/', port, status: undefined },
        intervalMs: 10,
        timeoutMs: 10_000,
      },
      clock: systemClock,
      cwd: dir,
      env,
    }),
    onStatus: (status) => {
      statuses.push(status);
      if (status.pid !== undefined) pids.add(status.pid);
    },
    onLine: (line) => {
      const pid = /listening pid=(\d+)/.exec(line.text)?.[1];
      if (pid) pids.add(Number(pid));
    },
  });
  cleanups.push(() => supervisor.stop());
  const restarts: Array<Promise<RestartOutcome>> = [];
  const debouncer = debounceBatches({
    clock: systemClock,
    onBatch: (batch) => {
      const plan = planWatchActions({
        batch,
        services: [service()],
        projectDir: dir,
        configFiles: ['devenv.yaml'],
      });
      for (const action of plan.actions) {
        restarts.push(supervisor.restart(`${action.files.join(', ')} changed`, plan.since));
      }
    },
    // As start-watching does: the batch's first event stops the process while the batch settles.
    onOpen: (change) => supervisor.prepareRestart(change.at),
    onError: (error) => {
      throw error;
    },
  });
  const watcher = await watchFiles({
    projectDir: dir,
    clock: systemClock,
    onChange: (change) => debouncer.push(change),
    onActivity: (path) => debouncer.touch(path),
    onError: (error) => {
      throw error;
    },
  });
  cleanups.push(async () => {
    debouncer.close();
    await watcher.close();
  });
  supervisor.start();
  await until(() => supervisor.status.state === 'ready');
  const get = async () => (await fetch(`http://127.0.0.1:${port}/`)).text();
  return { dir, supervisor, statuses, pids, restarts, get };
}

function service() {
  return {
    kind: 'service' as const,
    name: 'api',
    runtime: { kind: 'process' as const, command: ['node', 'server.js'], cwd: '/', warmStart: true },
    watch: [{ paths: ['server.js'], ignore: [], action: { kind: 'restart' as const } }],
    port: undefined,
    restart: 'on-failure' as const,
    labels: {},
    configHash: '',
    ports: [],
    env: { values: {}, secretKeys: [] },
    outputs: { host: {}, network: {}, secretKeys: [] },
    dependsOn: [],
    readiness: undefined,
  };
}

describe('hot reload of a local process', () => {
  it('serves the new code after an edit, with the old process and its children gone', async () => {
    const { dir, supervisor, pids, restarts, get } = await startEnvironment();
    expect(await get()).toBe('v1');
    const before = [...pids];
    expect(before).toHaveLength(2); // the shell and the server

    await writeFile(join(dir, 'server.js'), server('v2'));
    await until(() => restarts.length === 1);
    const outcome = await restarts[0];
    expect(outcome).toMatchObject({ ok: true });
    expect(await get()).toBe('v2');
    for (const pid of before) expect(await isPidAlive(pid)).toBe(false);
    console.info(`edit-to-serving: ${outcome?.ok ? outcome.reloadMs : '-'} ms`);

    // A burst of 200 writes in about 100 ms restarts it once.
    const started = Date.now();
    for (let i = 0; i < 200; i++) {
      writeFileSync(join(dir, 'server.js'), server(i === 199 ? 'v3' : `burst ${i}`));
      while (Date.now() < started + i * 0.5) await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => restarts.length === 2);
    await restarts[1];
    await sleep(600);
    expect(restarts).toHaveLength(2);
    expect(await get()).toBe('v3');

    await supervisor.stop();
    for (const pid of pids) expect(await isPidAlive(pid)).toBe(false);
  });

  it('shows a service that crashes on start as crash-looping, and recovers when the file is fixed', async () => {
    const { dir, supervisor, statuses, pids, restarts, get } = await startEnvironment();
    await writeFile(join(dir, 'server.js'), 'throw new Error("boom")');
    await until(() => supervisor.status.crashLoop);
    const crashed = statuses.filter((s) => s.state === 'crashed');
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed.at(-1)?.detail).toMatch(
      /^exited with code 1; restarting in [\d.]+s; crash loop: \d+ crashes in 60s$/,
    );
    expect(crashed.at(-1)?.lastLines.join('\n')).toContain('Error: boom');
    // Backoff doubles: 50 ms, 100 ms, 200 ms, …
    expect(crashed.slice(0, 3).map((s) => /restarting in ([\d.]+)s/.exec(s.detail ?? '')?.[1])).toEqual([
      '0.05',
      '0.1',
      '0.2',
    ]);

    const count = restarts.length;
    await writeFile(join(dir, 'server.js'), server('fixed'));
    await until(() => restarts.length > count);
    await restarts.at(-1);
    await until(() => supervisor.status.state === 'ready');
    expect(await get()).toBe('fixed');
    expect(supervisor.status.crashLoop).toBe(false);

    await supervisor.stop();
    for (const pid of pids) {
      expect(await isPidAlive(pid)).toBe(false);
      expect(await isGroupAlive(pid)).toBe(false);
    }
  });
});
