import { ExternalError } from '../errors/devenv-error.js';
import type { Readiness, ReadinessProbe } from '../model/readiness.js';
import type { Clock } from '../util/clock.js';
import { probeDelay } from '../util/probe-delay.js';
import { probeProcessOnce } from './probe-process-once.js';
import type { ProcessRun, ReadyCheck } from './process-run.js';

export interface WaitProcessReadyOptions {
  /** Service name, for messages. */
  name: string;
  readiness: Readiness;
  run: ProcessRun;
  clock: Clock;
  signal: AbortSignal;
  /** Where a `command` probe runs: the service's cwd and env. */
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** Called before each attempt with what is awaited, for progress. */
  onWaiting?: (detail: string) => void;
}

/**
 * Resolves once the process passes its readiness check: http/tcp on 127.0.0.1, a command on the host
 * exiting 0 (tried every `intervalMs`), or a log line matching (as soon as it is printed). Throws
 * `READINESS_TIMEOUT` after `timeoutMs`, with the last result.
 */
export async function waitProcessReady(options: WaitProcessReadyOptions): Promise<void> {
  const { readiness, clock, signal, run } = options;
  const { probe } = readiness;
  const started = clock.now();
  const matched = new AbortController();
  // For port and command probes, a line of output ends the wait for the next attempt: a server that
  // prints "listening" is usually ready right then, and the probe schedule should not add to a reload.
  let nudge: AbortController | undefined;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  const unsubscribe =
    probe.kind === 'log'
      ? subscribeLog(run, new RegExp(probe.pattern), matched)
      : run.onLine(() => {
          // At most one extra attempt per NUDGE_SPACING_MS, however chatty the start-up.
          if (clock.now() - lastAttempt >= NUDGE_SPACING_MS) nudge?.abort();
        });
  try {
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      options.onWaiting?.(`waiting for ${describe(probe)} (${Math.round((clock.now() - started) / 1000)}s)`);
      const result =
        probe.kind === 'log'
          ? matched.signal.aborted
            ? ({ ready: true } as const)
            : ({ ready: false, detail: 'no matching line yet' } as const)
          : await probeNow(probe);
      if (result.ready) return;
      const remaining = readiness.timeoutMs - (clock.now() - started);
      if (remaining <= 0) {
        throw new ExternalError(
          'READINESS_TIMEOUT',
          `${options.name} was not ready after ${Math.round(readiness.timeoutMs / 1000)}s: checked ${describe(probe)}, last result: ${result.detail}.`,
          {
            hint: `Raise its readiness timeout in devenv.yaml if it is just slow, or see \`devenv logs ${options.name}\`.`,
          },
        );
      }
      // A restarted process is usually serving within ~100 ms: check at 10, 25, 48, 82 ms… so the
      // edit-to-serving time measures the process, not the probe schedule.
      const delay = probeDelay(attempt, readiness.intervalMs, 10, 1.5);
      nudge = new AbortController();
      await sleepUntilWoken(
        clock,
        Math.min(delay, remaining),
        signal,
        AbortSignal.any([matched.signal, nudge.signal]),
      );
      nudge = undefined;
    }
  } finally {
    unsubscribe();
  }

  function probeNow(probe: Exclude<ReadinessProbe, { kind: 'log' }>) {
    lastAttempt = clock.now();
    return probeProcessOnce(probe, { cwd: options.cwd, env: options.env, signal });
  }
}

/** The least time between two attempts that output lines bring forward. */
const NUDGE_SPACING_MS = 2;

/** The `ReadyCheck` a process supervisor takes, built from the model's `Readiness`. */
export function processReadyCheck(options: Omit<WaitProcessReadyOptions, 'run' | 'signal'>): ReadyCheck {
  return (run, signal) => waitProcessReady({ ...options, run, signal });
}

function subscribeLog(run: ProcessRun, pattern: RegExp, matched: AbortController): () => void {
  return run.onLine((line) => {
    if (!matched.signal.aborted && pattern.test(line.text)) matched.abort();
  });
}

/** Sleeps on the clock; a matching log line ends the wait early, an abort of `signal` throws. */
async function sleepUntilWoken(clock: Clock, ms: number, signal: AbortSignal, wake: AbortSignal) {
  try {
    await clock.sleep(ms, AbortSignal.any([signal, wake]));
  } catch (error) {
    if (signal.aborted) throw error;
  }
}

function describe(probe: ReadinessProbe): string {
  switch (probe.kind) {
    case 'command':
      return `\`${probe.command.join(' ')}\` on the host`;
    case 'tcp':
      return `a TCP connection to 127.0.0.1:${probe.port}`;
    case 'http':
      return `HTTP GET ${probe.path} on 127.0.0.1:${probe.port}${probe.status === undefined ? '' : ` answering ${probe.status}`}`;
    case 'log':
      return `a log line matching /${probe.pattern}/`;
  }
}
