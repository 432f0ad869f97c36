import { buildRouteTable, type RouteTable } from './route-table.js';
import { environmentKeyString, type PublishedEnvironment } from './route-target.js';

/**
 * The router's one piece of mutable state: the published environments and the table computed from
 * them. Publishing what is already there changes nothing (no rebuild, no wake-up); every real change
 * rebuilds the table and wakes the requests held for a service that was coming up.
 */
export class RouteRegistry {
  readonly #environments = new Map<string, { environment: PublishedEnvironment; json: string }>();
  #table: RouteTable = buildRouteTable([]);
  #waiters = new Set<() => void>();

  get table(): RouteTable {
    return this.#table;
  }

  get size(): number {
    return this.#environments.size;
  }

  /** Replaces an environment's routes; false when they are unchanged. */
  publish(environment: PublishedEnvironment): boolean {
    const key = environmentKeyString(environment);
    const json = JSON.stringify(environment);
    if (this.#environments.get(key)?.json === json) return false;
    this.#environments.set(key, { environment, json });
    this.#changed();
    return true;
  }

  /** Removes an environment's routes; false when it had none. */
  withdraw(key: string): boolean {
    if (!this.#environments.delete(key)) return false;
    this.#changed();
    return true;
  }

  /** Resolves at the next change of the table, after `timeoutMs`, or when `signal` aborts. */
  changed(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  #changed(): void {
    this.#table = buildRouteTable([...this.#environments.values()].map((entry) => entry.environment));
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
