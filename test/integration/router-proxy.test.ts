import type { Server } from 'node:http';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchEnvironmentName } from '../../src/naming/environment-name.js';
import { serviceHost } from '../../src/naming/service-host.js';
import { RouteRegistry } from '../../src/router/route-registry.js';
import type { PublishedEnvironment, RouteTarget } from '../../src/router/route-target.js';
import { type RouterServer, startRouterServer } from '../../src/router/start-router-server.js';
import {
  type Answer,
  closeServer,
  collectAnswer,
  echoWebSockets,
  freePort,
  openWebSocket,
  send,
  startTestRouter,
  startUpstream,
} from '../support/router-upstreams.js';

// The router's HTTP side, in process, against real upstream servers: routing, WebSockets, streaming,
// held requests and the pages. The router process and its socket are in router-process.test.ts.

const registry = new RouteRegistry();
const accessLog: string[] = [];
const upstreams: Server[] = [];
let router: RouterServer;

/** An upstream that answers `<name> <method> <path>` and reports the headers it received. */
async function named(name: string): Promise<number> {
  const { server, port } = await startUpstream((req, res) => {
    res.setHeader('x-seen', JSON.stringify(req.headers));
    res.end(`${name} ${req.method} ${req.url}`);
  });
  upstreams.push(server);
  return port;
}

function publish(
  project: string,
  branch: string | undefined,
  routes: Omit<RouteTarget, 'host'>[],
): PublishedEnvironment {
  const environment = {
    project,
    env: branch === undefined ? 'default' : branchEnvironmentName(branch),
    routes: routes.map((route) => ({ ...route, host: serviceHost(project, branch, route.service) })),
  };
  registry.publish(environment);
  return environment;
}

beforeAll(async () => {
  router = await startTestRouter(registry, accessLog);
});

afterAll(async () => {
  await router.close();
  await Promise.all(upstreams.map(closeServer));
});

describe('the router', () => {
  it('routes by host for two environments and two branches at once', async () => {
    const branches = ['feature/a', 'feature-a'];
    publish('shop', undefined, [
      { service: 'api', port: await named('shop-api'), state: 'ready' },
      { service: 'web', port: await named('shop-web'), state: 'ready' },
    ]);
    for (const branch of branches)
      publish('shop', branch, [{ service: 'api', port: await named(`shop-api@${branch}`), state: 'ready' }]);
    publish('blog', undefined, [{ service: 'api', port: await named('blog-api'), state: 'ready' }]);

    const answers = await Promise.all(
      [
        serviceHost('shop', undefined, 'api'),
        serviceHost('shop', undefined, 'web'),
        serviceHost('shop', 'feature/a', 'api'),
        serviceHost('shop', 'feature-a', 'api'),
        serviceHost('blog', undefined, 'api'),
      ].map((host) => send(router.port, host, { path: '/x?y=1' }).then((answer) => answer.body)),
    );
    expect(answers).toEqual([
      'shop-api GET /x?y=1',
      'shop-web GET /x?y=1',
      'shop-api@feature/a GET /x?y=1',
      'shop-api@feature-a GET /x?y=1',
      'blog-api GET /x?y=1',
    ]);
  });

  it('adds X-Forwarded-* and an X-Request-Id (kept when given), and logs the id', async () => {
    const host = serviceHost('shop', undefined, 'api');
    const answer = await send(router.port, host);
    const seen = JSON.parse(String(answer.headers['x-seen'])) as Record<string, string>;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(`${host}:${router.port}`);
    expect(seen.host).toBe(`${host}:${router.port}`);
    expect(seen['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['x-request-id']).toBe(seen['x-request-id']);
    expect(
      accessLog.some((line) => line.includes(seen['x-request-id'] ?? '?') && line.includes(' 200 ')),
    ).toBe(true);

    const given = await send(router.port, host, { headers: { 'x-request-id': 'abc-123' } });
    expect(JSON.parse(String(given.headers['x-seen']))['x-request-id']).toBe('abc-123');
  });

  it('reuses connections to the upstream (keep-alive)', async () => {
    let connections = 0;
    const { server, port } = await startUpstream((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    upstreams.push(server);
    publish('keep', undefined, [{ service: 'api', port, state: 'ready' }]);
    for (let i = 0; i < 20; i++)
      expect((await send(router.port, serviceHost('keep', undefined, 'api'))).body).toBe('ok');
    expect(connections).toBe(1);
  });

  it('proxies a WebSocket: messages echo both ways', async () => {
    const { server, port } = await startUpstream((_req, res) => res.end());
    echoWebSockets(server);
    upstreams.push(server);
    publish('chat', undefined, [{ service: 'ws', port, state: 'ready' }]);
    const socket = await openWebSocket(router.port, serviceHost('chat', undefined, 'ws'));
    socket.send('hello');
    expect(await socket.next()).toBe('echo: hello');
    socket.send('x'.repeat(1000));
    expect(await socket.next()).toBe(`echo: ${'x'.repeat(1000)}`);
    socket.close();
  });

  it('streams server-sent events one by one, without buffering', async () => {
    const firstArrived = Promise.withResolvers<void>();
    const { server, port } = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      // The second event is sent only once the client has the first: a buffering proxy never gets there.
      void firstArrived.promise.then(() => res.end('data: two\n\n'));
    });
    upstreams.push(server);
    publish('feed', undefined, [{ service: 'sse', port, state: 'ready' }]);

    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: router.port, headers: { host: serviceHost('feed', undefined, 'sse') } },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            events.push(...chunk.split('\n\n').filter(Boolean));
            if (events.length === 1) firstArrived.resolve();
          });
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(events).toEqual(['data: one', 'data: two']);
  });

  it('streams a large upload to the upstream', async () => {
    const { server, port } = await startUpstream((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => res.end(String(bytes)));
    });
    upstreams.push(server);
    publish('files', undefined, [{ service: 'upload', port, state: 'ready' }]);
    const body = Buffer.alloc(32 * 1024 * 1024, 7);
    const answer = await send(router.port, serviceHost('files', undefined, 'upload'), {
      method: 'POST',
      body,
    });
    expect(answer.body).toBe(String(body.length));
  });

  it('streams a chunked upload, appends to X-Forwarded-For, drops hop-by-hop headers, keeps repeated ones', async () => {
    const { server, port } = await startUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.setHeader('x-seen', JSON.stringify(req.headers));
        res.end(Buffer.concat(chunks).toString());
      });
    });
    upstreams.push(server);
    publish('chunks', undefined, [{ service: 'api', port, state: 'ready' }]);
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: router.port,
          method: 'POST',
          headers: {
            host: serviceHost('chunks', undefined, 'api'),
            'x-forwarded-for': '10.0.0.1',
            connection: 'keep-alive, x-hop',
            'x-hop': 'secret',
          },
        },
        (res) => collectAnswer(res).then(resolve, reject),
      );
      req.on('error', reject);
      req.write('one,');
      setTimeout(() => req.end('two'), 50);
    });
    const seen = JSON.parse(String(answer.headers['x-seen'])) as Record<string, string>;
    expect(answer.body).toBe('one,two');
    expect(seen['transfer-encoding']).toBe('chunked');
    expect(seen['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(seen['x-hop']).toBeUndefined();
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('stops the upstream request when the client goes away', async () => {
    const upstreamClosed = Promise.withResolvers<void>();
    const { server, port } = await startUpstream((req) => {
      // Never answers: only the client leaving ends this request.
      req.socket.once('close', () => upstreamClosed.resolve());
    });
    upstreams.push(server);
    publish('leave', undefined, [{ service: 'api', port, state: 'ready' }]);
    const req = request({
      host: '127.0.0.1',
      port: router.port,
      headers: { host: serviceHost('leave', undefined, 'api') },
    });
    req.on('error', () => undefined); // the abort below
    req.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.destroy();
    await upstreamClosed.promise;
  });

  it('answers 504 for an upstream that sends no response headers in time', async () => {
    const quick = await startRouterServer({
      registry,
      port: 0,
      addresses: ['127.0.0.1'],
      responseTimeoutMs: 300,
      accessLog: () => undefined,
    });
    try {
      const { server, port } = await startUpstream(() => undefined);
      upstreams.push(server);
      publish('slow', undefined, [{ service: 'api', port, state: 'ready' }]);
      const answer = await send(quick.port, serviceHost('slow', undefined, 'api'), {
        headers: { accept: 'application/json' },
      });
      expect(answer.status).toBe(504);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'service-unavailable', service: 'api' });
      expect(answer.body).toContain('UPSTREAM_TIMEOUT');
    } finally {
      await quick.close();
    }
  });

  it('holds a request made during a restart and answers it once the service is ready', async () => {
    const port = await freePort();
    const host = serviceHost('shop', undefined, 'worker');
    publish('shop', undefined, [{ service: 'worker', port, state: 'restarting' }]);
    const started = Date.now();
    const pending = send(router.port, host, { path: '/during' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { server } = await startUpstream((req, res) => res.end(`worker v2 ${req.url}`), port);
    upstreams.push(server);
    publish('shop', undefined, [{ service: 'worker', port, state: 'ready' }]);
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('worker v2 /during');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('waits, without a 502, for a service said ready that refuses connections for a moment', async () => {
    const port = await freePort();
    publish('race', undefined, [{ service: 'api', port, state: 'ready' }]);
    const pending = send(router.port, serviceHost('race', undefined, 'api'));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { server } = await startUpstream((_req, res) => res.end('up'), port);
    upstreams.push(server);
    expect(await pending).toMatchObject({ status: 200, body: 'up' });
  });

  it('answers for a crashed service with a refreshing status page, in HTML and in JSON', async () => {
    publish('broken', undefined, [
      {
        service: 'api',
        port: await freePort(),
        state: 'crashed',
        detail: 'exited with code 1',
        lastLines: ['listening…', 'TypeError: x is not a function'],
      },
    ]);
    const host = serviceHost('broken', undefined, 'api');
    const html = await send(router.port, host, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(503);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('<code>api</code> is crashed');
    expect(html.body).toContain('TypeError: x is not a function');
    expect(html.body).toContain('http-equiv="refresh"');

    const json = await send(router.port, host, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(503);
    expect(JSON.parse(json.body)).toEqual({
      error: 'service-unavailable',
      service: 'api',
      project: 'broken',
      env: 'default',
      state: 'crashed',
      detail: 'exited with code 1',
      lastLines: ['listening…', 'TypeError: x is not a function'],
    });
  });

  it('lists the environments and URLs that exist for an unknown host; a withdrawn route is unknown', async () => {
    const answer = await send(router.port, 'nothing.localhost', { headers: { accept: 'application/json' } });
    expect(answer.status).toBe(404);
    const body = JSON.parse(answer.body) as {
      environments: { project: string; urls: Record<string, string> }[];
    };
    expect(body.environments.find((e) => e.project === 'blog')?.urls.api).toBe(
      `http://api.blog.localhost:${router.port}`,
    );
    const html = await send(router.port, 'nothing.localhost');
    expect(html.body).toContain(`http://api.blog.localhost:${router.port}`);

    registry.withdraw('blog/default');
    const gone = await send(router.port, serviceHost('blog', undefined, 'api'));
    expect(gone.status).toBe(404);
    expect(gone.body).toContain('No service at');
  });
});
