import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from './demux-frames.js';
import { DockerRuntime } from './docker-runtime.js';

// An engine that dies mid-answer, at the HTTP level (the real one cannot be stopped in a shared test run):
// every call must end in ENGINE_UNREACHABLE rather than hang, end silently, or leak a socket error.
let dir: string;
let server: Server;
let runtime: DockerRuntime;

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  const dieSoon = () => setTimeout(() => req.socket.destroy(), 20);
  if (url.includes('/containers/json')) return void req.socket.destroy();
  if (url.includes('/containers/c1/json')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return void res.end(JSON.stringify({ Config: { Tty: false } }));
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  if (url.includes('/events'))
    res.write(`${JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'c1' } })}\n`);
  if (url.includes('/images/create')) res.write('{"status":"Pulling fs layer","id":"l1"}\n');
  if (url.includes('/logs')) res.write(encodeFrame('stdout', '2026-01-01T00:00:00Z one\n'));
  dieSoon();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devenv-engine-'));
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(join(dir, 'docker.sock'), resolve));
  runtime = new DockerRuntime({ DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('DockerRuntime when the engine stops mid-operation', () => {
  it('fails a call cut before its answer', async () => {
    await expect(runtime.listContainers({})).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
  });

  it('fails a pull cut mid-stream', async () => {
    const phases: string[] = [];
    await expect(
      runtime.pullImage('redis:8', { onProgress: (p) => phases.push(p.phase) }),
    ).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
    });
    expect(phases).toEqual(['waiting']);
  });

  it('fails followed logs and events cut mid-stream, after what arrived', async () => {
    const lines: string[] = [];
    const following = (async () => {
      for await (const line of runtime.logs('c1', { follow: true })) lines.push(line.text);
    })();
    await expect(following).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    expect(lines).toEqual(['one']);

    const actions: string[] = [];
    const watching = (async () => {
      for await (const event of runtime.events({ filter: {}, signal: new AbortController().signal })) {
        actions.push(event.action);
      }
    })();
    await expect(watching).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    expect(actions).toEqual(['start']);
  });
});
