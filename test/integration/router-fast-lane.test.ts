import { createHash, randomBytes } from 'node:crypto';
import { Agent, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceHost } from '../../src/naming/service-host.js';
import { RouteRegistry } from '../../src/router/route-registry.js';
import type { RouterServer } from '../../src/router/start-router-server.js';
import { closeServer, freePort, send, startTestRouter, startUpstream } from '../support/router-upstreams.js';

// The router's fast lane (relay-connection.ts) on the wire: raw client bytes in, raw bytes out, against
// real upstream servers. What the full HTTP server does (held requests, pages, WebSockets) is in
// router-proxy.test.ts, which runs through the fast lane's hand-over too.

const registry = new RouteRegistry();
const accessLog: string[] = [];
const upstreams: Server[] = [];
let router: RouterServer;

function publish(project: string, service: string, port: number): string {
  const host = serviceHost(project, undefined, service);
  registry.publish({ project, env: 'default', routes: [{ service, port, state: 'ready', host }] });
  return host;
}

/** Writes `text` on one connection to the router and collects everything until the router closes it. */
function exchange(text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(router.port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.setTimeout(5_000, () => reject(new Error(`no close; got ${Buffer.concat(chunks).toString()}`)));
  });
}

const get = (host: string, path: string, ...headers: string[]): string =>
  [`GET ${path} HTTP/1.1`, `Host: ${host}`, ...headers, '', ''].join('\r\n');

beforeAll(async () => {
  router = await startTestRouter(registry, accessLog);
});

afterAll(async () => {
  await router.close();
  await Promise.all(upstreams.map(closeServer));
});

describe('the router’s fast lane', () => {
  it('answers pipelined requests in order, over one upstream connection, and logs each', async () => {
    let connections = 0;
    const { server, port } = await startUpstream((req, res) => {
      let length = 0;
      req.on('data', (chunk: Buffer) => {
        length += chunk.length;
      });
      req.on('end', () => res.end(`${req.method} ${req.url} ${length} ${req.headers['x-request-id']}\n`));
    });
    server.on('connection', () => connections++);
    upstreams.push(server);
    const host = publish('pipe', 'api', port);
    const answer = await exchange(
      get(host, '/1') +
        get(host, '/2', 'X-Request-Id: mine') +
        ['POST /3 HTTP/1.1', `Host: ${host}`, 'Content-Length: 5', '', 'hello'].join('\r\n') +
        get(host, '/4', 'Connection: close'),
    );
    const bodies = [...answer.matchAll(/(GET|POST) \/(\d) (\d) (\S+)/g)].map((match) => match.slice(1, 5));
    expect(bodies.map(([method, path, length]) => `${method} ${path} ${length}`)).toEqual([
      'GET 1 0',
      'GET 2 0',
      'POST 3 5',
      'GET 4 0',
    ]);
    expect(bodies[1]?.[3]).toBe('mine');
    // Ids made ahead of a request (see ConnectionRelay#prepare) are each used once.
    expect(new Set(bodies.map((body) => body[3])).size).toBe(4);
    // Each answer carries its request's id, and the access log has a line for each.
    for (const [, , , id] of bodies) {
      expect(answer).toContain(`x-request-id: ${id}\r\n`);
      expect(accessLog.some((line) => line.includes(` ${id} `) && line.includes(' 200 '))).toBe(true);
    }
    expect(connections).toBe(1);
  });

  it('hands a pipelined request it cannot relay to the full server after the answers before it', async () => {
    const { server, port } = await startUpstream((req, res) => res.end(`answer ${req.url}`));
    upstreams.push(server);
    const host = publish('handover', 'api', port);
    const answer = await exchange(
      get(host, '/first') +
        get('nowhere.handover.localhost', '/unknown') +
        get(host, '/last', 'Connection: close'),
    );
    expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 404', 'HTTP/1.1 200']);
    expect(answer.indexOf('answer /first')).toBeLessThan(answer.indexOf('answer /last'));
  });

  it('frames chunked, HEAD, 204 and early-hints answers, and a body that ends with the connection', async () => {
    const { server, port } = await startUpstream((req, res) => {
      if (req.url === '/chunked') {
        res.write('one,');
        setTimeout(() => res.end('two'), 20);
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/hints') {
        res.writeEarlyHints({ link: '</style.css>; rel=preload' });
        res.end('hinted');
      } else res.end('head has no body');
    });
    upstreams.push(server);
    const host = publish('frames', 'api', port);
    const answer = await exchange(
      get(host, '/chunked') +
        ['HEAD /head HTTP/1.1', `Host: ${host}`, '', ''].join('\r\n') +
        get(host, '/empty') +
        get(host, '/hints', 'Connection: close'),
    );
    expect(answer.match(/^HTTP\/1\.1 \d+/gm)).toEqual([
      'HTTP/1.1 200',
      'HTTP/1.1 200',
      'HTTP/1.1 204',
      'HTTP/1.1 103',
      'HTTP/1.1 200',
    ]);
    expect(answer).toContain('4\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n');
    expect(answer).not.toContain('head has no body');
    expect(answer.endsWith('hinted')).toBe(true);

    // An HTTP/1.0-style answer without a length: it ends when the upstream closes, and so does the client's.
    const raw = createTcpServer((socket) => {
      socket.once('data', () =>
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end'),
      );
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const rawPort = (raw.address() as { port: number }).port;
    try {
      const untilClose = await exchange(get(publish('frames', 'raw', rawPort), '/'));
      expect(untilClose).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*x-request-id: [\s\S]*\r\n\r\nuntil the end$/);
    } finally {
      raw.close();
    }
  });

  it('opens a new upstream connection when the service closed the idle one, or restarted', async () => {
    const port = await freePort();
    const first = await startUpstream((_req, res) => res.end('v1'), port);
    first.server.keepAliveTimeout = 100;
    const host = publish('idle', 'api', port);
    // One client connection throughout.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let clientConnections = 0;
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = (...args) => {
      clientConnections++;
      return createConnection(...args);
    };
    const viaAgent = () => send(router.port, host, { agent }).then((answer) => answer.body);
    try {
      expect(await viaAgent()).toBe('v1');
      await new Promise((resolve) => setTimeout(resolve, 300)); // the upstream has closed it by now
      expect(await viaAgent()).toBe('v1');
      await closeServer(first.server);
      const second = await startUpstream((_req, res) => res.end('v2'), port);
      upstreams.push(second.server);
      expect(await viaAgent()).toBe('v2');
      expect(clientConnections).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('hands a kept-alive connection to the full server when its service restarts or its route goes', async () => {
    const { server, port } = await startUpstream((req, res) => res.end(`up ${req.url}`));
    upstreams.push(server);
    const host = publish('turns', 'api', port);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const viaAgent = (path: string) => send(router.port, host, { agent, path });
      expect((await viaAgent('/1')).body).toBe('up /1');
      registry.publish({
        project: 'turns',
        env: 'default',
        routes: [{ service: 'api', port, state: 'restarting', host }],
      });
      const held = viaAgent('/2');
      await new Promise((resolve) => setTimeout(resolve, 200));
      publish('turns', 'api', port);
      expect(await held).toMatchObject({ status: 200, body: 'up /2' });
      registry.withdraw('turns/default');
      expect((await viaAgent('/3')).status).toBe(404);
    } finally {
      agent.destroy();
    }
  });

  it('sends a request for another host on the same connection to that service', async () => {
    const a = await startUpstream((_req, res) => res.end('from a'));
    const b = await startUpstream((_req, res) => res.end('from b'));
    upstreams.push(a.server, b.server);
    const answer = await exchange(
      get(publish('two-a', 'api', a.port), '/') +
        get(publish('two-b', 'api', b.port), '/', 'Connection: close'),
    );
    expect(answer.indexOf('from a')).toBeGreaterThan(0);
    expect(answer.indexOf('from b')).toBeGreaterThan(answer.indexOf('from a'));
  });

  it('leaves an ambiguous request (Content-Length and Transfer-Encoding) to Node, which refuses it', async () => {
    let reached = false;
    const { server, port } = await startUpstream((_req, res) => {
      reached = true;
      res.end('smuggled');
    });
    upstreams.push(server);
    const host = publish('smuggle', 'api', port);
    const answer = await exchange(
      [
        'POST / HTTP/1.1',
        `Host: ${host}`,
        'Content-Length: 4',
        'Transfer-Encoding: chunked',
        '',
        '0',
        '',
        get(host, '/admin'),
      ].join('\r\n'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(reached).toBe(false);
  });

  it('answers a request with a body for a service that refuses connections with the 502 page', async () => {
    const host = publish('refused', 'api', await freePort());
    const answer = await send(router.port, host, {
      method: 'POST',
      body: 'order',
      headers: { accept: 'application/json' },
    });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'service-unavailable', service: 'api' });
    expect(answer.body).toContain('ECONNREFUSED');
  });

  it('sends a GET the service dropped unanswered once more, but never a POST', async () => {
    const seen: string[] = [];
    const { server, port } = await startUpstream((req, res) => {
      seen.push(req.method ?? '?');
      // The first request of each method is dropped, as by a service that crashes on it.
      if (seen.filter((method) => method === req.method).length === 1) req.socket.destroy();
      else res.end(`${req.method} answered`);
    });
    upstreams.push(server);
    const host = publish('dropped', 'api', port);
    // A new connection each, so that both start in the fast lane.
    const agent = new Agent({ keepAlive: false });
    expect(await send(router.port, host, { agent })).toMatchObject({ status: 200, body: 'GET answered' });
    const post = await send(router.port, host, { agent, method: 'POST', headers: { 'content-length': '0' } });
    expect(post.status).toBe(502);
    expect(seen).toEqual(['GET', 'GET', 'POST']);
  });

  it('cuts the client’s connection off when the service answers with something that is not HTTP', async () => {
    const raw = createTcpServer((socket) => {
      socket.once('data', () => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const host = publish('garbage', 'api', (raw.address() as { port: number }).port);
      expect(await exchange(get(host, '/', 'X-Request-Id: garbage-1'))).toBe('');
      expect(accessLog.find((line) => line.includes(' garbage-1 '))).toMatch(
        /"GET \/" 502 aborted \(not an HTTP\/1\.1 response\)/,
      );
    } finally {
      raw.close();
    }
  });

  it('keeps answers whole when their heads and bodies come in pieces, from several services at once', async () => {
    // Every upstream read lands in one buffer (UPSTREAM_READS): what outlives a read must be a copy.
    const words = ['alpha', 'beta', 'gamma'];
    const raw = createTcpServer((socket) => {
      socket.once('data', (request: Buffer) => {
        const body = (/GET \/(\w+)/.exec(request.toString())?.[1] ?? '').repeat(50);
        const pieces = [
          'HTTP/1.1 200 OK\r\nContent-',
          `Length: ${body.length}\r\nX-A: 1\r\n`,
          `\r\n${body.slice(0, 3)}`,
          body.slice(3),
        ];
        const next = (): void => {
          const piece = pieces.shift();
          if (piece === undefined) return;
          socket.write(piece);
          setTimeout(next, 5);
        };
        next();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const host = publish('pieces', 'api', (raw.address() as { port: number }).port);
      const answers = await Promise.all(
        words.map((word) => exchange(get(host, `/${word}`, 'Connection: close'))),
      );
      for (const [i, answer] of answers.entries()) {
        expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Length: \d+\r\nX-A: 1\r\nx-request-id: /);
        expect(answer.endsWith(`\r\n\r\n${words[i]?.repeat(50)}`)).toBe(true);
      }
    } finally {
      raw.close();
    }
  });

  it('keeps a long answer and the pipelined answer after it whole', async () => {
    // In the middle of a long body the upstream reads get buffers of their own (no copy), never more
    // than the body has left; the body's last bytes and the next head come through the shared buffer.
    const long = randomBytes(200 * 1024 + 13);
    const { server, port } = await startUpstream((req, res) => res.end(req.url === '/long' ? long : 'short'));
    upstreams.push(server);
    const host = publish('long-then-short', 'api', port);
    const answer = Buffer.from(
      await exchange(get(host, '/long') + get(host, '/short', 'Connection: close')),
      'latin1',
    );
    const firstBody = answer.indexOf('\r\n\r\n') + 4;
    expect(answer.subarray(firstBody, firstBody + long.length).equals(long)).toBe(true);
    const second = answer.subarray(firstBody + long.length).toString('latin1');
    expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*x-request-id: [^\r]+\r\n\r\nshort$/);
  });

  it('relays large answers whole to two clients that read slowly at once', async () => {
    // Two at once: while one client's answer waits in its socket, the other's upstream reads go on.
    const payloads = [randomBytes(8 * 1024 * 1024), randomBytes(8 * 1024 * 1024)];
    const { server, port } = await startUpstream((req, res) => res.end(payloads[Number(req.url?.slice(1))]));
    upstreams.push(server);
    const host = publish('large', 'api', port);
    const slowly = (path: string): Promise<Buffer> =>
      new Promise<Buffer>((resolve, reject) => {
        const socket = connect(router.port, '127.0.0.1', () =>
          socket.write(get(host, path, 'Connection: close')),
        );
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          socket.pause();
          setTimeout(() => socket.resume(), 1);
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks)));
      });
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const received = await Promise.all([slowly('/0'), slowly('/1')]);
    for (const [i, answer] of received.entries()) {
      const body = answer.subarray(answer.indexOf('\r\n\r\n') + 4);
      expect(body.length).toBe(8 * 1024 * 1024);
      expect(digest(body)).toBe(digest(payloads[i] as Buffer));
    }
  });
});
