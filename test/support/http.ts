import { createServer } from 'node:net';

/** GET with a short timeout: a hung request fails the polling loop's attempt, not the test. */
export async function get(url: string): Promise<string> {
  return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).text();
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Polls `condition` every 50 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
