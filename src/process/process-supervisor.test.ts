import { describe, expect, it } from 'vitest';
import { ExternalError } from '../errors/devenv-error.js';
import { FakeClock } from '../util/fake-clock.js';
import type { ReadyCheck } from './process-run.js';
import type { ProcessStatus } from './process-status.js';
import { ProcessSupervisor, type ProcessSupervisorOptions } from './process-supervisor.js';
import type { OutputLine, ProcessExit, RunningProcess, StartProcessOptions } from './start-process.js';
import type { Launch, SpareProcess, StartSpareOptions } from './start-spare-process.js';

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

/** A warm-start spare: paused until `go`, then a process like any other. */
class FakeSpare extends FakeProcess implements SpareProcess {
  released = false;
  #onLine: ((line: OutputLine) => void) | undefined;
  constructor(
    pid: number,
    readonly launch: Launch,
  ) {
    super(pid, { ...launch, onLine: (line) => this.#onLine?.(line) });
  }
  go(onLine: (line: OutputLine) => void): void {
    this.released = true;
    this.#onLine = onLine;
  }
}

function setup(overrides: Partial<ProcessSupervisorOptions> = {}) {
  const clock = new FakeClock(0);
  const processes: FakeProcess[] = [];
  const spares: FakeSpare[] = [];
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
    startSpare: async ({ command, cwd, env }: StartSpareOptions) => {
      const spare = new FakeSpare(500 + spares.length, { command, cwd, env });
      spares.push(spare);
      return spare;
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
  return { clock, processes, spares, statuses, supervisor, last, story };
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

  describe('warm start', () => {
    it('starts a spare once ready and makes it the next process, then starts the next spare', async () => {
      const lines: string[] = [];
      const groupChanges: number[][] = [];
      const { clock, processes, spares, supervisor, story } = setup({
        warmStart: true,
        onLine: (line) => lines.push(line.text),
        onGroupsChanged: () => groupChanges.push(supervisor.groups),
      });
      supervisor.start();
      await clock.settle();
      expect(spares).toHaveLength(1);
      expect(spares[0]?.launch).toEqual({ command: ['node', 'server.js'], cwd: '/repo', env: {} });
      expect(spares[0]?.released).toBe(false);
      expect(groupChanges).toEqual([[100, 500]]);
      story();

      const outcome = supervisor.restart('server.js changed', clock.now());
      await clock.settle();
      expect(processes[0]?.stopped).toBe(true);
      expect(processes.filter((p) => !(p instanceof FakeSpare))).toHaveLength(1); // no cold start
      expect(spares[0]?.released).toBe(true);
      expect(await outcome).toEqual({ ok: true, reloadMs: 0 });
      expect(story()).toEqual([
        'restarting: server.js changed',
        'starting: restarting: server.js changed',
        'ready',
      ]);
      expect(supervisor.status.pid).toBe(500);
      spares[0]?.print('listening');
      expect(lines).toEqual(['listening']);
      expect(spares).toHaveLength(2);
      expect(supervisor.groups).toEqual([500, 501]);
    });

    it('stops a spare that was started for another command, cwd or env, and starts cold', async () => {
      const { clock, processes, spares, supervisor } = setup({
        warmStart: true,
        startSpare: async ({ command, cwd }) => {
          const spare = new FakeSpare(500 + spares.length, { command, cwd, env: { GREETING: 'stale' } });
          spares.push(spare);
          return spare;
        },
      });
      supervisor.start();
      await clock.settle();
      expect(spares).toHaveLength(1);
      await supervisor.restart('server.js changed');
      expect(spares[0]).toMatchObject({ stopped: true, released: false });
      expect(processes.map((p) => p.pid)).toEqual([100, 101]);
      expect(supervisor.status.pid).toBe(101);
    });

    it('forgets a spare that dies unused and starts no other before the next ready run', async () => {
      const groupChanges: number[][] = [];
      const { clock, processes, spares, supervisor } = setup({
        warmStart: true,
        onGroupsChanged: () => groupChanges.push(supervisor.groups),
      });
      supervisor.start();
      await clock.settle();
      spares[0]?.crash(1);
      await clock.advance(60_000);
      expect(spares).toHaveLength(1);
      expect(supervisor.groups).toEqual([100]);
      expect(groupChanges.at(-1)).toEqual([100]);

      await supervisor.restart('server.js changed');
      expect(processes.map((p) => p.pid)).toEqual([100, 101]); // cold
      expect(spares).toHaveLength(2); // the next spare, for the run after this one
    });

    it('stops the spare with the process', async () => {
      const { clock, spares, supervisor, last } = setup({ warmStart: true });
      supervisor.start();
      await clock.settle();
      await supervisor.stop();
      expect(last().stopped).toBe(true);
      expect(spares.map((s) => s.stopped)).toEqual([true]);
      expect(supervisor.groups).toEqual([]);
    });

    it('stops a spare that finishes starting after stop() began', async () => {
      const pending = Promise.withResolvers<SpareProcess>();
      const late = new FakeSpare(500, { command: ['node', 'server.js'], cwd: '/repo', env: {} });
      const { clock, supervisor } = setup({ warmStart: true, startSpare: () => pending.promise });
      supervisor.start();
      await clock.settle();
      const stopped = supervisor.stop();
      pending.resolve(late);
      await stopped;
      expect(late.stopped).toBe(true);
    });

    it('drops the spare when the process ends and its restart policy keeps it down', async () => {
      const { clock, spares, supervisor, last } = setup({ warmStart: true });
      supervisor.start();
      await clock.settle();
      last().crash(0); // on-failure: a clean exit stays down
      await clock.settle();
      expect(spares.map((s) => s.stopped)).toEqual([true]);
      expect(supervisor.groups).toEqual([]);
    });

    it('starts no spare without warmStart', async () => {
      const { clock, spares, supervisor } = setup();
      supervisor.start();
      await clock.settle();
      expect(spares).toHaveLength(0);
    });
  });
});
