import { setTimeout as sleep } from 'node:timers/promises';
import type { BoundPorts, WaitStrategy } from 'testcontainers';

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];

/**
 * One readiness attempt. It must stop what it started (an exec, a socket) once `signal` aborts; it
 * resolves `true` when ready, and throws when the container cannot become ready (gone, exited).
 */
export type ReadinessCheck = (
  container: Container,
  boundPorts: BoundPorts,
  signal: AbortSignal,
) => Promise<boolean>;

export interface PollingWaitOptions {
  /** What is waited for, in the timeout's message: "Shell command `pg_isready` not successful". */
  what: string;
  /** Aborting it ends the wait at once, stopping the attempt in flight. */
  signal?: AbortSignal | undefined;
  /** Pause between attempts. @default 100 (as testcontainers' own strategies) */
  intervalMs?: number;
  /** One attempt's limit, within the startup timeout; an attempt that takes longer counts as not ready. */
  attemptTimeoutMs?: number;
}

/**
 * A testcontainers wait strategy that polls `check` until it succeeds, and that can be stopped:
 * testcontainers' own strategies run their attempts (Docker execs, HTTP requests) to completion and
 * keep polling until their timeout, even after the container is gone, and an exec they leave open can
 * keep the process alive. Here every attempt gets a signal that aborts with the caller's signal or at
 * the startup timeout, and nothing runs after `waitUntilReady` settles.
 */
export class PollingWait implements WaitStrategy {
  readonly #check: ReadinessCheck;
  readonly #options: PollingWaitOptions;
  #startupTimeoutMs = 60_000;
  #startupTimeoutSet = false;

  constructor(check: ReadinessCheck, options: PollingWaitOptions) {
    this.#check = check;
    this.#options = options;
  }

  async waitUntilReady(container: Container, boundPorts: BoundPorts): Promise<void> {
    const { signal, intervalMs = 100, attemptTimeoutMs = 10_000 } = this.#options;
    const deadline = Date.now() + this.#startupTimeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const attempt = AbortSignal.timeout(Math.min(attemptTimeoutMs, remaining));
      const attemptSignal = signal ? AbortSignal.any([signal, attempt]) : attempt;
      try {
        if (await this.#check(container, boundPorts, attemptSignal)) return;
      } catch (error) {
        signal?.throwIfAborted();
        // An attempt that ran out of time is one more "not yet"; anything else ends the wait.
        if (!attempt.aborted) throw error;
      }
      const pause = Math.min(intervalMs, deadline - Date.now());
      // Rejects only when aborted, which the loop's first line reports.
      if (pause > 0) await sleep(pause, undefined, signal ? { signal } : {}).catch(() => undefined);
    }
    // The same sentence as testcontainers' strategies ("… after 60000ms"), which callers recognise.
    throw new Error(`${this.#options.what} after ${this.#startupTimeoutMs}ms`);
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#startupTimeoutMs = startupTimeoutMs;
    this.#startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.#startupTimeoutMs;
  }
}
