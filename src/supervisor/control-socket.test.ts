import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../errors/devenv-error.js';
import { connectControl } from './control-client.js';
import type { ControlConnection } from './control-server.js';
import { startControlServer } from './control-server.js';
import { emptySnapshot } from './environment-snapshot.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function socketPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'devenv-sock-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 's.sock');
}

describe('control socket', () => {
  it('survives a client that goes away with events unread (ECONNRESET, EPIPE)', async () => {
    const path = await socketPath();
    const server = await startControlServer(path, async (request, connection) => {
      if (request.method === 'subscribe') {
        const text = 'x'.repeat(1_000);
        for (let i = 0; i < 5_000; i++)
          connection.push({ type: 'log', at: i, name: 'chat', stream: 'stdout', text });
      }
      return emptySnapshot('shop', 'default');
    });
    cleanups.push(() => server.close());

    // A raw client that asks for the flood and never reads it, then vanishes (a killed `logs -f`).
    const raw = connect(path);
    await new Promise<void>((resolve) => raw.once('connect', resolve));
    raw.pause();
    raw.write(`${JSON.stringify({ id: 1, method: 'subscribe' })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    raw.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const client = await connectControl(path);
    cleanups.push(async () => client.close());
    expect((await client.request('status')).project).toBe('shop');
  });

  it('answers requests, pushes events to subscribers and carries typed errors', async () => {
    const path = await socketPath();
    const subscribers: ControlConnection[] = [];
    const server = await startControlServer(path, async (request, connection) => {
      if (request.method === 'status') return emptySnapshot('shop', 'default');
      if (request.method === 'subscribe') {
        subscribers.push(connection);
        return emptySnapshot('shop', 'default');
      }
      throw new ExternalError('PORT_BUSY', 'Port 5432 is in use.', { hint: 'Stop the other Postgres.' });
    });
    cleanups.push(() => server.close());

    const client = await connectControl(path);
    cleanups.push(async () => client.close());
    const events: string[] = [];
    client.onEvent((event) => events.push(event.type));

    expect((await client.request('status')).project).toBe('shop');
    await client.request('subscribe');
    for (const subscriber of subscribers) subscriber.push({ type: 'environment', at: 1, state: 'ready' });
    await expect(client.request('restart', { name: 'db' })).rejects.toMatchObject({
      code: 'PORT_BUSY',
      hint: 'Stop the other Postgres.',
    });
    expect(events).toEqual(['environment']);
  });

  it('delivers what was pushed just before the server closed (the final `stopped` event)', async () => {
    const path = await socketPath();
    const subscribers: ControlConnection[] = [];
    const server = await startControlServer(path, async (_request, connection) => {
      subscribers.push(connection);
      return emptySnapshot('shop', 'default');
    });
    const client = await connectControl(path);
    cleanups.push(async () => client.close());
    const events: string[] = [];
    client.onEvent((event) => events.push(event.type));
    await client.request('subscribe');
    for (const subscriber of subscribers) {
      subscriber.push({ type: 'log', at: 1, name: 'api', stream: 'stdout', text: 'last words' });
      subscriber.push({ type: 'environment', at: 2, state: 'stopped' });
    }
    await server.close();
    await client.closed;
    expect(events).toEqual(['log', 'environment']);
  });

  it('fails to connect when nobody listens', async () => {
    await expect(connectControl(await socketPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
