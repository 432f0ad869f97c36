import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceHost } from '../../src/naming/service-host.js';
import { connectRouter, findRouter } from '../../src/router/connect-router.js';
import { routerPaths } from '../../src/router/router-paths.js';
import { closeServer, freePort, send, startUpstream } from '../support/router-upstreams.js';
import { waitFor } from '../support/wait.js';

// The real router process (`devenv __router`, from dist/): started on demand by the first client,
// shared by every environment, and dropping an environment's routes when its supervisor goes away.

const stateDir = mkdtempSync(join(tmpdir(), 'devenv-router-it-'));
let env: NodeJS.ProcessEnv;
const upstreams: Server[] = [];

async function upstream(text: string): Promise<number> {
  const { server, port } = await startUpstream((_req, res) => res.end(text));
  upstreams.push(server);
  return port;
}

beforeAll(async () => {
  env = { ...process.env, DEVENV_STATE_DIR: stateDir, DEVENV_ROUTER_PORT: String(await freePort()) };
});

afterAll(async () => {
  const running = await findRouter(routerPaths(env));
  if (running) {
    process.kill(running.hello.pid, 'SIGTERM');
    running.client.close();
  }
  await Promise.all(upstreams.map(closeServer));
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the router process', () => {
  it('starts on demand, routes what supervisors publish, and keeps one environment when another stops', async () => {
    const shop = await connectRouter(env);
    const blog = await connectRouter(env);
    expect(shop.port).toBe(Number(env.DEVENV_ROUTER_PORT));
    const shopHost = serviceHost('shop', undefined, 'api');
    const blogHost = serviceHost('blog', 'feature/x', 'api');
    await shop.publish({ project: 'shop', env: 'default' }, [
      { service: 'api', host: shopHost, port: await upstream('shop'), state: 'ready' },
    ]);
    await blog.publish({ project: 'blog', env: 'feature-x' }, [
      { service: 'api', host: blogHost, port: await upstream('blog'), state: 'ready' },
    ]);
    expect((await send(shop.port, shopHost)).body).toBe('shop');
    expect((await send(shop.port, blogHost)).body).toBe('blog');

    // The shop supervisor goes away (stopped or killed): its routes go with its connection.
    shop.close();
    await waitFor('the shop route to disappear', async () =>
      (await send(blog.port, shopHost)).status === 404 ? true : undefined,
    );
    const unknown = await send(blog.port, shopHost);
    expect(unknown.body).toContain(`No service at <code>${shopHost}</code>`);
    expect(unknown.body).toContain(blogHost);
    expect((await send(blog.port, blogHost)).body).toBe('blog');

    await blog.withdraw({ project: 'blog', env: 'feature-x' });
    expect((await send(blog.port, blogHost)).status).toBe(404);
    blog.close();
  });

  it('is one process per machine, and a client republishes after the router is killed', async () => {
    const first = await connectRouter(env);
    const host = serviceHost('again', undefined, 'api');
    await first.publish({ project: 'again', env: 'default' }, [
      { service: 'api', host, port: await upstream('again'), state: 'ready' },
    ]);
    const before = await findRouter(routerPaths(env));
    const second = await connectRouter(env);
    const same = await findRouter(routerPaths(env));
    expect(same?.hello.pid).toBe(before?.hello.pid);
    same?.client.close();
    second.close();

    process.kill(before?.hello.pid ?? 0, 'SIGKILL');
    before?.client.close();
    await waitFor(
      'a new router serving the republished route',
      async () => ((await send(first.port, host)).body === 'again' ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const after = await findRouter(routerPaths(env));
    expect(after?.hello.pid).not.toBe(before?.hello.pid);
    after?.client.close();
    first.close();
  });
});
