import type { WaitStrategy } from 'testcontainers';

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];

/**
 * Wraps a wait strategy to act when it fails, before testcontainers stops and removes the container:
 * afterwards its exit code and output, which explain the failure, are gone.
 */
export class NotingWait implements WaitStrategy {
  readonly #inner: WaitStrategy;
  readonly #onFailure: (container: Container) => Promise<void>;

  constructor(inner: WaitStrategy, onFailure: (container: Container) => Promise<void>) {
    this.#inner = inner;
    this.#onFailure = onFailure;
  }

  async waitUntilReady(...args: Parameters<WaitStrategy['waitUntilReady']>): Promise<void> {
    try {
      await this.#inner.waitUntilReady(...args);
    } catch (error) {
      await this.#onFailure(args[0]);
      throw error;
    }
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#inner.withStartupTimeout(startupTimeoutMs);
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#inner.isStartupTimeoutSet();
  }

  getStartupTimeout(): number {
    return this.#inner.getStartupTimeout();
  }
}
