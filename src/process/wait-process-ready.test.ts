import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Readiness } from '../model/readiness.js';
import { systemClock } from '../util/clock.js';
import { FakeClock } from '../util/fake-clock.js';
import { RunOutput } from './process-run.js';
import { waitProcessReady } from './wait-process-ready.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(status: number): Promise<number> {
  const server = createServer((_, response) => response.writeHead(status).end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function wait(readiness: Readiness, output = new RunOutput(), clock = systemClock) {
  return waitProcessReady({
    name: 'api',
    readiness,
    run: { pid: 1, startedAt: clock.now(), onLine: (listener) => output.onLine(listener) },
    clock,
    signal: new AbortController().signal,
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '' },
  });
}

const fast = { intervalMs: 20, timeoutMs: 300 };

describe('waitProcessReady', () => {
  it('checks HTTP on 127.0.0.1 with any 2xx/3xx, or the exact status asked for', async () => {
    const port = await listen(204);
    await wait({ probe: { kind: 'http', path: '/healthz', port, status: undefined }, ...fast });
    await expect(
      wait({ probe: { kind: 'http', path: '/healthz', port, status: 200 }, ...fast }),
    ).rejects.toMatchObject({
      code: 'READINESS_TIMEOUT',
      message: expect.stringContaining('last result: HTTP 204'),
    });
  });

  it('checks TCP and reports the refusal on timeout', async () => {
    const port = await listen(200);
    await wait({ probe: { kind: 'tcp', port }, ...fast });
    servers[0]?.close();
    await expect(wait({ probe: { kind: 'tcp', port }, ...fast })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('runs a command on the host until it exits 0', async () => {
    const flag = join(tmpdir(), `devenv-ready-${process.pid}-${Date.now()}`);
    setTimeout(() => void writeFile(flag, ''), 60);
    await wait({ probe: { kind: 'command', command: ['sh', '-c', `test -f ${flag}`] }, ...fast });
  });

  it('is ready the moment a matching log line is printed, including lines printed before it looked', async () => {
    const clock = new FakeClock();
    const output = new RunOutput();
    output.push({ stream: 'stdout', text: 'compiling…', timestamp: 0 });
    let ready = false;
    const waiting = wait(
      { probe: { kind: 'log', pattern: 'listening on \\d+' }, intervalMs: 1000, timeoutMs: 60_000 },
      output,
      clock,
    ).then(() => {
      ready = true;
    });
    await clock.settle();
    expect(ready).toBe(false);
    output.push({ stream: 'stderr', text: 'listening on 8080', timestamp: 0 });
    await clock.settle();
    expect(ready).toBe(true); // without the clock moving
    await waiting;

    const early = new RunOutput();
    early.push({ stream: 'stdout', text: 'listening on 1', timestamp: 0 });
    await wait({ probe: { kind: 'log', pattern: 'listening' }, ...fast }, early, clock);
  });

  it('probes a port again as soon as the process prints a line, without waiting for the schedule', async () => {
    const clock = new FakeClock();
    const output = new RunOutput();
    const server = createServer((_, response) => response.end('ok'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    server.close();
    let ready = false;
    const waiting = wait(
      { probe: { kind: 'tcp', port }, intervalMs: 1000, timeoutMs: 60_000 },
      output,
      clock,
    ).then(() => {
      ready = true;
    });
    // The first attempt is refused; the next one is scheduled 10 ms later on the fake clock.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ready).toBe(false);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await clock.advance(5); // half way to the next scheduled attempt
    output.push({ stream: 'stdout', text: `listening on ${port}`, timestamp: 0 });
    await waiting;
    expect(ready).toBe(true);
  });

  it('times out on the injected clock', async () => {
    const clock = new FakeClock();
    const result = wait(
      { probe: { kind: 'log', pattern: 'never' }, intervalMs: 1000, timeoutMs: 5000 },
      new RunOutput(),
      clock,
    ).catch((error: unknown) => error);
    await clock.advance(5000);
    expect(await result).toMatchObject({
      code: 'READINESS_TIMEOUT',
      message:
        'api was not ready after 5s: checked a log line matching /never/, last result: no matching line yet.',
    });
  });
});
