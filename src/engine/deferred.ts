/** A promise with its resolve/reject exposed, for "B waits until A is ready" across concurrent tasks. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  // Nobody may be waiting when it fails; the failure is reported by its own task, not as unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
