/** How a crashing process is restarted. */
export interface BackoffPolicy {
  /** Delay before the first restart after a crash. @default 250 */
  initialMs: number;
  /** The delay doubles per consecutive crash up to this. @default 30000 */
  maxMs: number;
  /** A run that stayed up this long counts as healthy: the next crash starts over at `initialMs`. @default 10000 */
  resetAfterMs: number;
  /** This many crashes ... @default 3 */
  crashLoopCount: number;
  /** ... within this window flag a crash loop. @default 60000 */
  crashLoopWindowMs: number;
}

export const defaultBackoffPolicy: BackoffPolicy = {
  initialMs: 250,
  maxMs: 30_000,
  resetAfterMs: 10_000,
  crashLoopCount: 3,
  crashLoopWindowMs: 60_000,
};

/** What to do after one crash. */
export interface CrashVerdict {
  /** Wait this long before starting again. */
  delayMs: number;
  /** Crashes in a row without a healthy run in between, this one included. */
  consecutive: number;
  /** Crashes within the crash-loop window, this one included. */
  recent: number;
  crashLoop: boolean;
}

/**
 * Remembers crashes to decide the backoff and to call a crash loop a crash loop, so a service that
 * dies on start is shown as such rather than as an endless "starting".
 */
export class CrashTracker {
  readonly #policy: BackoffPolicy;
  #consecutive = 0;
  #crashes: number[] = [];

  constructor(policy: Partial<BackoffPolicy> = {}) {
    this.#policy = { ...defaultBackoffPolicy, ...policy };
  }

  /** Records a crash at `now` of a run that had been up for `upMs`. */
  record(now: number, upMs: number): CrashVerdict {
    const policy = this.#policy;
    if (upMs >= policy.resetAfterMs) this.reset();
    this.#consecutive += 1;
    this.#crashes = [...this.#crashes.filter((at) => now - at < policy.crashLoopWindowMs), now];
    const delayMs = Math.min(policy.maxMs, policy.initialMs * 2 ** (this.#consecutive - 1));
    return {
      delayMs,
      consecutive: this.#consecutive,
      recent: this.#crashes.length,
      crashLoop: this.#crashes.length >= policy.crashLoopCount,
    };
  }

  /** Forgets the history, after a run that proved healthy. */
  reset(): void {
    this.#consecutive = 0;
    this.#crashes = [];
  }

  get windowMs(): number {
    return this.#policy.crashLoopWindowMs;
  }
}
