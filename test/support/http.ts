import { machineHostPorts } from '../../src/host/host-ports.js';

/** GET with a short timeout: a hung request fails the polling loop's attempt, not the test. */
export async function get(url: string): Promise<string> {
  return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).text();
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it): the same way devenv moves a busy port. */
export const freePort = (): Promise<number> => machineHostPorts.pickFree();

/** Polls `condition` every 50 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
