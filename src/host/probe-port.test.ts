import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHttp, probeTcp } from './probe-port.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(status: number): Promise<number> {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/health' ? status : 404;
    res.end('body that nobody reads');
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const port = await serve(200);
  await new Promise((resolve) => servers.pop()?.close(resolve));
  return port;
}

describe('probeHttp', () => {
  it('is ready on 2xx/3xx, or on exactly the status asked for', async () => {
    const port = await serve(204);
    expect(await probeHttp(port, '/health', undefined)).toEqual({ ready: true });
    expect(await probeHttp(port, '/health', 204)).toEqual({ ready: true });
    expect(await probeHttp(port, '/health', 200)).toEqual({ ready: false, detail: 'HTTP 204' });
    expect(await probeHttp(port, '/other', undefined)).toEqual({ ready: false, detail: 'HTTP 404' });
  });

  it('says why a connection failed', async () => {
    expect(await probeHttp(await closedPort(), '/', undefined)).toEqual({
      ready: false,
      detail: 'ECONNREFUSED',
    });
  });
});

describe('probeTcp', () => {
  it('is ready when something listens', async () => {
    expect(await probeTcp(await serve(200))).toEqual({ ready: true });
    expect(await probeTcp(await closedPort())).toEqual({ ready: false, detail: 'ECONNREFUSED' });
  });
});
