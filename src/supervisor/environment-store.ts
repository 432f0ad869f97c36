import type { EnvironmentEvent } from '../events/environment-event.js';
import { applyEvent, type EnvironmentSnapshot } from './environment-snapshot.js';

export type StoreListener = (event: EnvironmentEvent, snapshot: EnvironmentSnapshot) => void;

/**
 * Snapshot + subscribe, the shape `useSyncExternalStore` wants. The supervisor dispatches events;
 * socket clients and the UI subscribe. Listeners run synchronously in dispatch order.
 */
export class EnvironmentStore {
  #snapshot: EnvironmentSnapshot;
  readonly #listeners = new Set<StoreListener>();

  constructor(initial: EnvironmentSnapshot) {
    this.#snapshot = initial;
  }

  getSnapshot = (): EnvironmentSnapshot => this.#snapshot;

  dispatch(event: EnvironmentEvent): void {
    this.#snapshot = applyEvent(this.#snapshot, event);
    for (const listener of this.#listeners) listener(event, this.#snapshot);
  }

  /** Returns the unsubscribe function. */
  subscribe = (listener: StoreListener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
}
