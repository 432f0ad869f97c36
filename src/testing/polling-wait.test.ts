import type { BoundPorts } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { PollingWait, type ReadinessCheck } from './polling-wait.js';

type Container = Parameters<PollingWait['waitUntilReady']>[0];
const container = { id: 'c1' } as Container;
const ports = {} as BoundPorts;

/** A check that never answers until its signal aborts, as an exec the engine holds open. */
const hangs: ReadinessCheck = (_container, _ports, signal) =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

describe('PollingWait', () => {
  it('polls until the check succeeds', async () => {
    let attempts = 0;
    const wait = new PollingWait(async () => ++attempts === 3, { what: 'x', intervalMs: 1 });
    await wait.withStartupTimeout(5_000).waitUntilReady(container, ports);
    expect(attempts).toBe(3);
  });

  it('stops at once when the signal aborts, aborting the attempt in flight', async () => {
    const controller = new AbortController();
    let attemptSignal: AbortSignal | undefined;
    const wait = new PollingWait(
      (c, p, signal) => {
        attemptSignal = signal;
        return hangs(c, p, signal);
      },
      { what: 'x', signal: controller.signal },
    ).withStartupTimeout(60_000);
    const waiting = wait.waitUntilReady(container, ports);
    setTimeout(() => controller.abort(new Error('aborted by the test')), 10);
    await expect(waiting).rejects.toThrow('aborted by the test');
    expect(attemptSignal?.aborted).toBe(true);
  });

  it('stops during the pause between attempts too', async () => {
    const controller = new AbortController();
    const wait = new PollingWait(async () => false, {
      what: 'x',
      signal: controller.signal,
      intervalMs: 60_000,
    }).withStartupTimeout(120_000);
    const waiting = wait.waitUntilReady(container, ports);
    setTimeout(() => controller.abort(new Error('aborted by the test')), 10);
    await expect(waiting).rejects.toThrow('aborted by the test');
  });

  it("counts an attempt that runs out of time as not ready, and fails at the timeout with testcontainers' sentence", async () => {
    let attempts = 0;
    const wait = new PollingWait(
      (c, p, signal) => {
        attempts++;
        return hangs(c, p, signal);
      },
      { what: 'Shell command "pg_isready" not successful', attemptTimeoutMs: 20, intervalMs: 1 },
    ).withStartupTimeout(200);
    await expect(wait.waitUntilReady(container, ports)).rejects.toThrow(
      'Shell command "pg_isready" not successful after 200ms',
    );
    expect(attempts).toBeGreaterThan(1);
  });

  it('ends at the first failure that is not a timeout (the container is gone or exited)', async () => {
    const wait = new PollingWait(
      async () => {
        throw new Error('No container "c1" on the engine.');
      },
      { what: 'x' },
    ).withStartupTimeout(60_000);
    await expect(wait.waitUntilReady(container, ports)).rejects.toThrow('No container "c1"');
  });
});
