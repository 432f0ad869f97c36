import { describe, expect, it } from 'vitest';
import { ExternalError } from '../errors/devenv-error.js';
import { FakeClock } from '../util/fake-clock.js';
import type { ReadyCheck } from './process-run.js';
import type { ProcessStatus } from './process-status.js';
import { ProcessSupervisor, type ProcessSupervisorOptions } from './process-supervisor.js';
import type { ProcessExit, RunningProcess, StartProcessOptions } from './start-process.js';

/** A process whose life the test decides: it prints, crashes, or stops when asked. */
class FakeProcess implements RunningProcess {
  readonly exited: Promise<ProcessExit>;
  stopped = false;
  readonly #exit: (exit: ProcessExit) => void;
  constructor(
    readonly pid: number,
    readonly options: StartProcessOptions,
  ) {
    const { promise, resolve } = Promise.withResolvers<ProcessExit>();
    this.exited = promise;
    this.#exit = resolve;
  }
  print(text: string): void {
    this.options.onLine({ stream: 'stdout', text, timestamp: 0 });
  }
  crash(code = 1): void {
    this.#exit({ code, signal: null });
  }
  stop(): Promise<ProcessExit> {
    this.stopped = true;
    this.#exit({ code: null, signal: 'SIGTERM' });
    return this.exited;
  }
}

function setup(overrides: Partial<ProcessSupervisorOptions> = {}) {
  const clock = new FakeClock(0);
  const processes: FakeProcess[] = [];
  const statuses: ProcessStatus[] = [];
  const supervisor = new ProcessSupervisor({
    name: 'api',
    command: ['node', 'server.js'],
    cwd: '/repo',
    env: {},
    restart: 'on-failure',
    clock,
    onStatus: (status) => statuses.push(status),
    onLine: () => undefined,
    startProcess: async (options) => {
      const proc = new FakeProcess(100 + processes.length, options);
      processes.push(proc);
      return proc;
    },
    ...overrides,
  });
  const last = (): FakeProcess => {
    const proc = processes.at(-1);
    if (!proc) throw new Error('no process started');
    return proc;
  };
  /** States since the previous call, as `state` or `state: detail`. */
  let seen = 0;
  const story = (): string[] => {
    const lines = statuses.slice(seen).map((s) => (s.detail ? `${s.state}: ${s.detail}` : s.state));
    seen = statuses.length;
    return lines;
  };
  return { clock, processes, statuses, supervisor, last, story };
}

describe('ProcessSupervisor', () => {
  it('restarts a crashing process with doubling backoff and flags the crash loop', async () => {
    const { clock, processes, supervisor, last, story } = setup();
    supervisor.start();
    await clock.settle();
    expect(story()).toEqual(['starting', 'ready']);

    last().print('Error: cannot find module ./routes');
    last().crash(1);
    await clock.settle();
    expect(story()).toEqual(['crashed: exited with code 1; restarting in 0.25s']);
    expect(supervisor.status.lastLines).toEqual(['Error: cannot find module ./routes']);
    expect(supervisor.status.crashLoop).toBe(false);

    await clock.advance(249);
    expect(processes).toHaveLength(1);
    await clock.advance(1);
    expect(processes).toHaveLength(2);
    last().crash(1);
    await clock.advance(499);
    expect(processes).toHaveLength(2);
    await clock.advance(1);
    last().crash(1);
    await clock.settle();
    expect(story().at(-1)).toBe(
      'crashed: exited with code 1; restarting in 1s; crash loop: 3 crashes in 60s',
    );
    expect(supervisor.status).toMatchObject({ state: 'crashed', crashLoop: true, restarts: 3 });

    await clock.advance(1000);
    expect(supervisor.status).toMatchObject({ state: 'ready', crashLoop: false });
  });

  it('caps the backoff and starts over after a run that stayed up', async () => {
    const { clock, supervisor, last, story } = setup({ backoff: { maxMs: 2000 } });
    supervisor.start();
    for (const expected of ['0.25s', '0.5s', '1s', '2s', '2s']) {
      await clock.settle();
      last().crash(1);
      await clock.settle();
      expect(story().at(-1)).toContain(`restarting in ${expected}`);
      await clock.advance(2000);
    }
    await clock.advance(10_000); // healthy long enough
    last().crash(1);
    await clock.settle();
    expect(story().at(-1)).toBe('crashed: exited with code 1; restarting in 0.25s');
  });

  it('recovers from a crash loop as soon as a file change asks for a restart, and measures it', async () => {
    const { clock, processes, supervisor, last, story } = setup();
    supervisor.start();
    await clock.settle();
    for (let i = 0; i < 4; i++) {
      last().crash(1);
      await clock.advance(250 * 2 ** i); // restarted, and it dies again at once
    }
    last().crash(1);
    await clock.settle();
    expect(supervisor.status.crashLoop).toBe(true);
    story();

    const editAt = clock.now();
    await clock.advance(3); // the debounce
    const outcome = supervisor.restart('api/server.js changed', editAt);
    await clock.settle();
    expect(processes).toHaveLength(6); // no waiting out the 4s backoff
    expect(await outcome).toEqual({ ok: true, reloadMs: 3 });
    expect(story()).toEqual([
      'restarting: api/server.js changed',
      'starting: restarting: api/server.js changed',
      'ready',
    ]);
    expect(supervisor.status).toMatchObject({ reloadMs: 3, crashLoop: false, restarts: 5 });
  });

  it('replaces a running process gracefully on restart and merges restarts asked for meanwhile', async () => {
    let release = (): void => undefined;
    const waitReady: ReadyCheck = () => new Promise((resolve) => (release = resolve));
    const { clock, processes, supervisor, last } = setup({ waitReady });
    supervisor.start();
    await clock.settle();
    release();
    await clock.settle();
    const first = last();

    const a = supervisor.restart('a.js changed', clock.now());
    await clock.advance(10);
    const b = supervisor.restart('b.js changed', clock.now());
    await clock.settle();
    expect(first.stopped).toBe(true);
    await clock.advance(40);
    release();
    await clock.settle();
    expect(await a).toEqual({ ok: true, reloadMs: 50 });
    expect(await b).toEqual({ ok: true, reloadMs: 50 });
    expect(processes.filter((p) => !p.stopped)).toHaveLength(1);
    expect(supervisor.status.restarts).toBe(0); // on purpose, not crashes
  });

  it('stops the process as soon as a batch opens and starts the new one when the restart comes', async () => {
    const { clock, processes, supervisor, last, story } = setup();
    supervisor.start();
    await clock.settle();
    const first = last();
    story();

    const editAt = clock.now();
    supervisor.prepareRestart(editAt);
    await clock.settle();
    expect(first.stopped).toBe(true);
    await clock.advance(15); // the batch settles; nothing starts meanwhile
    expect(processes).toHaveLength(1);
    const outcome = supervisor.restart('server.js changed', editAt);
    await clock.settle();
    expect(processes).toHaveLength(2);
    expect(await outcome).toEqual({ ok: true, reloadMs: 15 });
    expect(story()).toEqual([
      'restarting: files changed',
      'restarting: server.js changed',
      'starting: restarting: server.js changed',
      'ready',
    ]);
    expect(supervisor.status.restarts).toBe(0);
  });

  it('starts the process again when a prepared restart never comes (the batch cancelled out)', async () => {
    const { clock, processes, supervisor } = setup();
    supervisor.start();
    await clock.settle();
    supervisor.prepareRestart();
    await clock.advance(999);
    expect(processes).toHaveLength(1);
    await clock.advance(1);
    expect(processes).toHaveLength(2);
    expect(supervisor.status.state).toBe('ready');
  });

  it('reports a readiness failure and keeps the process for the next change to fix', async () => {
    const waitReady: ReadyCheck = async () => {
      throw new ExternalError('READINESS_TIMEOUT', 'api was not ready after 60s');
    };
    const { clock, supervisor, last, story } = setup({ waitReady });
    supervisor.start();
    await clock.settle();
    expect(story()).toEqual(['starting', 'failed: api was not ready after 60s']);
    expect(last().stopped).toBe(false);
  });

  it('follows the restart policy when a process ends on its own', async () => {
    const onFailure = setup();
    onFailure.supervisor.start();
    await onFailure.clock.settle();
    onFailure.last().crash(0);
    await onFailure.clock.advance(60_000);
    expect(onFailure.story().at(-1)).toBe('stopped: exited with code 0 (restart: on-failure)');
    expect(onFailure.processes).toHaveLength(1);

    const no = setup({ restart: 'no' });
    no.supervisor.start();
    await no.clock.settle();
    no.last().crash(2);
    await no.clock.advance(60_000);
    expect(no.story().at(-1)).toBe('crashed: exited with code 2 (restart: no)');
    expect(no.processes).toHaveLength(1);
    // A fix on disk runs it again.
    expect(await no.supervisor.restart('task.js changed')).toEqual({ ok: true, reloadMs: 0 });

    const always = setup({ restart: 'always' });
    always.supervisor.start();
    await always.clock.settle();
    always.last().crash(0);
    await always.clock.advance(250);
    expect(always.processes).toHaveLength(2);
  });

  it('treats a command that cannot start as a crash', async () => {
    const { clock, supervisor, story } = setup({
      startProcess: async () => {
        throw new ExternalError('PROCESS_START_FAILED', 'Could not start `nope`: spawn nope ENOENT');
      },
    });
    supervisor.start();
    await clock.settle();
    expect(story()).toEqual([
      'crashed: could not start; Could not start `nope`: spawn nope ENOENT; restarting in 0.25s',
    ]);
  });

  it('stops for good, also in the middle of a backoff', async () => {
    const { clock, processes, supervisor, last, story } = setup();
    supervisor.start();
    await clock.settle();
    last().crash(1);
    await clock.settle();
    await supervisor.stop();
    await clock.advance(60_000);
    expect(processes).toHaveLength(1);
    expect(story().at(-1)).toBe('stopped');
    expect(clock.pendingTimers).toBe(0);
    expect(await supervisor.restart('x')).toMatchObject({ ok: false, state: 'stopped' });
  });

  it('stops the running process when its signal aborts', async () => {
    const controller = new AbortController();
    const { clock, supervisor, last } = setup({ signal: controller.signal });
    supervisor.start();
    await clock.settle();
    controller.abort();
    await supervisor.stop();
    expect(last().stopped).toBe(true);
    expect(supervisor.status.state).toBe('stopped');
  });
});
