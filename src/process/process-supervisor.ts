import { DevenvError } from '../errors/devenv-error.js';
import type { RestartPolicy } from '../model/resolved-service.js';
import type { Clock } from '../util/clock.js';
import { type BackoffPolicy, CrashTracker } from './crash-tracker.js';
import { LastLines } from './last-lines.js';
import { type ReadyCheck, RunOutput } from './process-run.js';
import {
  describeExit,
  formatDelay,
  type ProcessState,
  type ProcessStatus,
  type RestartOutcome,
  shouldRestart,
} from './process-status.js';
import {
  type OutputLine,
  type ProcessExit,
  type RunningProcess,
  type StartProcessOptions,
  startProcess,
} from './start-process.js';
import {
  type Launch,
  type SpareProcess,
  type StartSpareOptions,
  sameLaunch,
  startSpareProcess,
} from './start-spare-process.js';

export interface ProcessSupervisorOptions {
  /** Service name, for messages and the status. */
  name: string;
  /** argv; a shell string arrives as `['sh', '-c', string]`. */
  command: readonly string[];
  cwd: string;
  /** The complete environment (see `buildProcessEnv`). */
  env: Readonly<Record<string, string>>;
  restart: RestartPolicy;
  clock: Clock;
  /** Readiness of one run (see `processReadyCheck`). @default ready as soon as it is spawned */
  waitReady?: ReadyCheck;
  onStatus: (status: ProcessStatus) => void;
  onLine: (line: OutputLine) => void;
  /** Between SIGTERM and SIGKILL. @default 5000 */
  stopGraceMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Aborting it stops the process, like `stop()`. */
  signal?: AbortSignal;
  /**
   * Keep a warm-start spare (`SpareProcess`) while the process is ready, so that the next start skips
   * Node's bootstrap. Only for a command that `runsNodeDirectly`. @default false
   */
  warmStart?: boolean;
  /** A spare was started or went: `groups` changed without a status change. */
  onGroupsChanged?: () => void;
  /** Test seam. @default startProcess */
  startProcess?: (options: StartProcessOptions) => Promise<RunningProcess>;
  /** Test seam. @default startSpareProcess */
  startSpare?: (options: StartSpareOptions) => Promise<SpareProcess>;
}

interface RestartRequest {
  reason: string;
  since: number;
  waiters: Array<(outcome: RestartOutcome) => void>;
  /** A prepared restart (`prepareRestart`): the new process starts once this is aborted. */
  hold?: AbortController;
}

/**
 * How long a prepared restart waits for its `restart()` before starting the process anyway: longer
 * than the watcher's longest batch (500 ms), for a batch that cancelled out (a file created and deleted).
 */
const PREPARED_HOLD_MS = 1_000;

interface RunEnd {
  exit: ProcessExit | undefined;
  upMs: number;
  detail: string | undefined;
}

/**
 * Keeps one service's process running per its restart policy: crashes are restarted with
 * exponential backoff and flagged as a crash loop when they repeat; `restart()` replaces the process
 * on purpose (a file changed) and measures the time to ready; `stop()` ends it and its whole group.
 * With `warmStart`, a new process is the spare started while the previous one was ready, if any.
 */
export class ProcessSupervisor {
  readonly #o: ProcessSupervisorOptions;
  readonly #crashes: CrashTracker;
  readonly #lastLines = new LastLines();
  #status: ProcessStatus;
  #loop: Promise<void> | undefined;
  #current: RunningProcess | undefined;
  /** Asked for, not started yet. */
  #request: RestartRequest | undefined;
  /** Started, not ready or ended yet: its waiters hear how it went. */
  #inflight: RestartRequest | undefined;
  #stopRequested = false;
  #stopping: Promise<void> | undefined;
  #cleanupError: DevenvError | undefined;
  /** Aborted to end a backoff or an idle wait early (restart or stop). */
  #wake = new AbortController();
  /** The warm-start spare for the next start, while it lives and is not used. */
  #spare: SpareProcess | undefined;
  #spareStarting = false;
  /** The process ended and its restart policy keeps it down until a restart(): no spare is kept. */
  #down = false;
  /** Spares being started or stopped; stop() waits for them. */
  readonly #spareWork = new Set<Promise<void>>();

  constructor(options: ProcessSupervisorOptions) {
    this.#o = options;
    this.#crashes = new CrashTracker(options.backoff);
    this.#status = {
      name: options.name,
      state: 'pending',
      detail: undefined,
      pid: undefined,
      restarts: 0,
      crashLoop: false,
      lastExit: undefined,
      lastLines: [],
      reloadMs: undefined,
      at: options.clock.now(),
    };
    // The status already shows a failed stop; the caller's own stop() call gets the error itself.
    options.signal?.addEventListener('abort', () => void this.stop().catch(() => undefined), { once: true });
  }

  get status(): ProcessStatus {
    return this.#status;
  }

  /** The process groups it runs: the process's and the spare's. */
  get groups(): number[] {
    return [this.#status.pid, this.#spare?.pid].filter((pid) => pid !== undefined);
  }

  /** Starts the process (its dependencies are met); idempotent. */
  start(): void {
    if (this.#loop !== undefined || this.#stopRequested) return;
    this.#loop = this.#run().catch((error: unknown) => {
      this.#emit('failed', { detail: `devenv could not supervise it: ${(error as Error).message}` });
      throw error;
    });
  }

  /**
   * Replaces the running process (or ends a backoff wait) and resolves when the new one is ready,
   * with the time since `since` — the file event that caused it. Restarts asked for before the new
   * process is ready merge into one, measured from the earliest `since`.
   */
  restart(reason: string, since: number = this.#o.clock.now()): Promise<RestartOutcome> {
    if (this.#stopRequested)
      return Promise.resolve({ ok: false, state: 'stopped', detail: 'it is stopping' });
    const { promise, resolve } = Promise.withResolvers<RestartOutcome>();
    const earlier = [this.#request, this.#inflight].filter((r) => r !== undefined);
    for (const request of earlier) request.hold?.abort();
    this.#inflight = undefined;
    this.#request = {
      reason,
      since: Math.min(since, ...earlier.map((r) => r.since)),
      waiters: [...earlier.flatMap((r) => r.waiters), resolve],
    };
    this.#emit('restarting', { detail: reason, pid: this.#current?.pid });
    if (this.#current) this.#stopInBackground(this.#current);
    else this.#wake.abort();
    this.start();
    return promise;
  }

  /**
   * A file this service restarts on has just changed and its batch is still settling: stop the
   * serving process now, so the restart that follows (`restart()`) only has to start the new one. The
   * old process was going to be stopped anyway; this takes its stop out of the edit-to-serving time.
   * Only a ready process is stopped early; anything else waits for `restart()`.
   */
  prepareRestart(since: number = this.#o.clock.now()): void {
    const current = this.#current;
    if (this.#stopRequested || this.#request || current === undefined || this.#status.state !== 'ready')
      return;
    const hold = new AbortController();
    this.#request = { reason: 'files changed', since, waiters: [], hold };
    this.#emit('restarting', { detail: 'files changed', pid: current.pid });
    this.#stopInBackground(current);
    // The timer's rejection is restart()'s or stop()'s release of the hold: nothing to report.
    this.#o.clock.sleep(PREPARED_HOLD_MS, hold.signal).then(
      () => hold.abort(),
      () => undefined,
    );
  }

  /** Stops the process and its group for good; resolves when none of it runs. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#stopRequested = true;
    this.#wake.abort();
    this.#request?.hold?.abort();
    if (this.#current) this.#stopInBackground(this.#current);
    this.#dropSpare();
    await this.#loop;
    // A spare that was starting is stopped as it arrives, which adds work while this waits.
    while (this.#spareWork.size > 0) await Promise.all(this.#spareWork);
    for (const request of [this.#request, this.#inflight]) {
      for (const resolve of request?.waiters ?? [])
        resolve({ ok: false, state: 'stopped', detail: 'stopped' });
    }
    this.#request = this.#inflight = undefined;
    if (this.#cleanupError) {
      this.#emit('failed', { detail: this.#cleanupError.message });
      throw this.#cleanupError;
    }
    this.#emit('stopped', { detail: undefined });
  }

  async #run(): Promise<void> {
    for (;;) {
      if (this.#stopRequested) return;
      this.#inflight = this.#request;
      this.#request = undefined;
      const end = await this.#runOnce(this.#inflight);
      if (this.#stopRequested) return;
      // Set meanwhile by restart() or prepareRestart(): TypeScript still sees the assignment above.
      const replacement = this.#request as RestartRequest | undefined;
      if (replacement) {
        // Replaced on purpose: start the new one right away, or once a prepared restart is asked for.
        const { hold } = replacement;
        if (hold && !hold.signal.aborted) {
          await new Promise((resolve) => hold.signal.addEventListener('abort', resolve, { once: true }));
        }
        continue;
      }
      const how = [describeExit(end.exit), end.detail].filter(Boolean).join('; ');
      if (!shouldRestart(this.#o.restart, end.exit)) {
        const state: ProcessState = end.exit?.code === 0 ? 'stopped' : 'crashed';
        this.#settleInflight({ ok: false, state, detail: how });
        this.#emit(state, {
          detail: `${how} (restart: ${this.#o.restart})`,
          lastLines: this.#lastLines.toArray(),
        });
        this.#down = true;
        this.#dropSpare();
        await this.#idle(undefined);
        this.#down = false;
        continue;
      }
      const verdict = this.#crashes.record(this.#o.clock.now(), end.upMs);
      const loop = verdict.crashLoop
        ? `; crash loop: ${verdict.recent} crashes in ${formatDelay(this.#crashes.windowMs)}`
        : '';
      this.#settleInflight({ ok: false, state: 'crashed', detail: how });
      this.#status = { ...this.#status, restarts: this.#status.restarts + 1 };
      this.#emit('crashed', {
        detail: `${how}; restarting in ${formatDelay(verdict.delayMs)}${loop}`,
        lastLines: this.#lastLines.toArray(),
        crashLoop: verdict.crashLoop,
      });
      await this.#idle(verdict.delayMs);
    }
  }

  async #runOnce(request: RestartRequest | undefined): Promise<RunEnd> {
    const { clock } = this.#o;
    this.#wake = new AbortController();
    this.#lastLines.clear();
    const output = new RunOutput();
    const onLine = (line: OutputLine): void => {
      this.#lastLines.push(line.text);
      output.push(line);
      this.#o.onLine(line);
    };
    const spare = this.#takeSpare();
    // The old group is gone (the previous run waited for it), so the port is free: let it load the code.
    spare?.go(onLine);
    let proc: RunningProcess | undefined = spare;
    try {
      proc ??= await (this.#o.startProcess ?? startProcess)({ ...this.#launch(), clock, onLine });
    } catch (error) {
      // A missing command or cwd is a crash like any other: `npm install` or a fix may cure it.
      if (!(error instanceof DevenvError)) throw error;
      return { exit: undefined, upMs: 0, detail: error.message };
    }
    const startedAt = clock.now();
    this.#current = proc;
    if (this.#request || this.#stopRequested) this.#stopInBackground(proc);
    else
      this.#emit('starting', {
        detail: request ? `restarting: ${request.reason}` : undefined,
        pid: proc.pid,
      });

    const probe = new AbortController();
    const check = this.#o.waitReady ?? (async () => undefined);
    const readiness = check({ pid: proc.pid, startedAt, onLine: (l) => output.onLine(l) }, probe.signal).then(
      () => ({ kind: 'ready' as const }),
      (error: unknown) => ({ kind: 'not-ready' as const, error }),
    );
    const first = await Promise.race([readiness, proc.exited.then(() => ({ kind: 'exited' as const }))]);
    const replaced = this.#request !== undefined || this.#stopRequested;
    if (first.kind === 'ready' && !replaced) {
      output.forgetReplay();
      const reloadMs = request ? clock.now() - request.since : undefined;
      this.#settleInflight({ ok: true, reloadMs: reloadMs ?? 0 });
      this.#emit('ready', { pid: proc.pid, reloadMs, detail: undefined });
      this.#startSpare();
    } else if (first.kind === 'not-ready' && !replaced) {
      const detail = (first.error as Error).message;
      this.#settleInflight({ ok: false, state: 'failed', detail });
      this.#emit('failed', { pid: proc.pid, detail, lastLines: this.#lastLines.toArray() });
    }

    const exit = await proc.exited;
    probe.abort();
    let detail: string | undefined;
    try {
      // It may have left children behind (`sh -c 'server & exit 1'`) that hold its port.
      await proc.stop(this.#o.stopGraceMs ?? 5_000);
    } catch (error) {
      if (!(error instanceof DevenvError)) throw error;
      this.#cleanupError = error;
      detail = error.message;
    }
    this.#current = undefined;
    this.#status = { ...this.#status, lastExit: exit };
    return { exit, upMs: clock.now() - startedAt, detail };
  }

  /** Waits `ms` (or until woken, when undefined) unless restart() or stop() wakes it first. */
  async #idle(ms: number | undefined): Promise<void> {
    const wake = this.#wake.signal;
    if (wake.aborted) return;
    if (ms === undefined) {
      await new Promise((resolve) => wake.addEventListener('abort', resolve, { once: true }));
      return;
    }
    try {
      await this.#o.clock.sleep(ms, wake);
    } catch (error) {
      if (!wake.aborted) throw error; // woken on purpose is the only expected way out
    }
  }

  #launch(): Launch {
    return { command: this.#o.command, cwd: this.#o.cwd, env: this.#o.env };
  }

  /** The spare, when it can be the next process; a spare that cannot is stopped. */
  #takeSpare(): SpareProcess | undefined {
    const spare = this.#spare;
    this.#spare = undefined;
    if (!spare || sameLaunch(spare.launch, this.#launch())) return spare;
    this.#discardSpare(spare);
    this.#o.onGroupsChanged?.();
    return undefined;
  }

  #dropSpare(): void {
    const spare = this.#spare;
    this.#spare = undefined;
    if (!spare) return;
    this.#discardSpare(spare);
    this.#o.onGroupsChanged?.();
  }

  /**
   * Starts the spare for the next start, once per ready run: a spare that dies unused is forgotten and
   * the next start is a cold one, so a spare that cannot live is never restarted in a loop.
   */
  #startSpare(): void {
    if (!this.#o.warmStart || this.#spare || this.#spareStarting || this.#stopRequested || this.#down) return;
    this.#spareStarting = true;
    this.#trackSpareWork(async () => {
      let spare: SpareProcess;
      try {
        spare = await (this.#o.startSpare ?? startSpareProcess)({ ...this.#launch(), clock: this.#o.clock });
      } catch (error) {
        if (!(error instanceof DevenvError)) throw error;
        const text = `devenv: no warm start for the next restart: ${error.message}`;
        this.#o.onLine({ stream: 'stderr', text, timestamp: this.#o.clock.now() });
        return;
      } finally {
        this.#spareStarting = false;
      }
      if (this.#stopRequested || this.#down) {
        this.#discardSpare(spare);
        return;
      }
      this.#spare = spare;
      this.#o.onGroupsChanged?.();
      void spare.exited.then(() => {
        if (this.#spare !== spare) return; // used (its exit is its run's) or already discarded
        this.#spare = undefined;
        this.#discardSpare(spare); // whatever is left of its group
        this.#o.onGroupsChanged?.();
      });
    });
  }

  /** Ends a spare's group; a group that will not end fails stop(), like the process's own. */
  #discardSpare(spare: SpareProcess): void {
    this.#trackSpareWork(async () => {
      try {
        await spare.stop(this.#o.stopGraceMs ?? 5_000);
      } catch (error) {
        if (!(error instanceof DevenvError)) throw error;
        this.#cleanupError ??= error;
      }
    });
  }

  #trackSpareWork(work: () => Promise<void>): void {
    const done = work().finally(() => this.#spareWork.delete(done));
    this.#spareWork.add(done);
  }

  #stopInBackground(proc: RunningProcess): void {
    // runOnce awaits the same (memoised) stop promise and reports its failure; this one only starts it.
    proc.stop(this.#o.stopGraceMs ?? 5_000).catch(() => undefined);
  }

  #settleInflight(outcome: RestartOutcome): void {
    for (const resolve of this.#inflight?.waiters ?? []) resolve(outcome);
    this.#inflight = undefined;
  }

  #emit(
    state: ProcessState,
    extra: Partial<Pick<ProcessStatus, 'detail' | 'pid' | 'lastLines' | 'reloadMs' | 'crashLoop'>>,
  ) {
    const keepsLoopFlag = state === 'starting' || state === 'restarting';
    this.#status = {
      ...this.#status,
      state,
      detail: extra.detail,
      pid: extra.pid,
      lastLines: extra.lastLines ?? [],
      reloadMs: extra.reloadMs,
      crashLoop: extra.crashLoop ?? (keepsLoopFlag ? this.#status.crashLoop : false),
      at: this.#o.clock.now(),
    };
    this.#o.onStatus(this.#status);
  }
}
