import { setTimeout as delay } from 'node:timers/promises';

/** Time, injected everywhere timing matters so that debounce, backoff and timeouts test without sleeping. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with `signal.reason` when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : undefined);
  },
};
