import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_COOKIE } from '../../src/gateway/cookies.js';
import { signToken } from '../../src/gateway/preview-token.js';
import { shareLink } from '../../src/gateway/share-link.js';
import { type Gateway, startGateway } from '../../src/gateway/start-gateway.js';
import { hashBasicCredentials } from '../../src/preview/basic-auth.js';
import type { PreviewRecord } from '../../src/preview/preview-contract.js';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { testEngine } from '../support/engine.js';
import { FakePreviews } from '../support/preview-fixtures.js';
import { freePort, openWebSocket, send } from '../support/router-upstreams.js';

// The gateway in process against the real engine, fed by previews made directly with the engine's
// API (record volume + labelled containers). It serves only this test's project.

const docker = testEngine();
const accessLog: string[] = [];
const log: string[] = [];
let gateway: Gateway;
let previews: FakePreviews;
let main: PreviewRecord;
let feature: PreviewRecord;
let locked: PreviewRecord;
let port: number;

const html = { accept: 'text/html,application/xhtml+xml' };
const hostOf = (record: PreviewRecord, service = 'web'): string =>
  record.services.find((candidate) => candidate.service === service)?.host ?? '';
const pathOf = (url: string): string => url.replace(/^http:\/\/[^/]+/, '');
const PASSWORD = 'open sesame';
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

beforeAll(async () => {
  port = await freePort();
  previews = new FakePreviews(docker, `gw.localhost:${port}`);
  main = previews.record('main', { publicPaths: ['/webhooks/'] });
  feature = previews.record('feature/login', { serviceNames: ['web', 'api'] });
  // `access: basic` as `preview up` writes it: private, plus the hash of the credentials.
  locked = previews.record('locked', { basicAuth: hashBasicCredentials(`tester:${PASSWORD}`) });
  await previews.writeRecord(main);
  await previews.writeRecord(feature);
  await previews.writeRecord(locked);
  await previews.startService(main, 'web');
  await previews.startService(locked, 'web');
  await previews.startService(feature, 'web');
  await previews.startService(feature, 'api');
  gateway = await startGateway({
    runtime: new DockerRuntime(process.env),
    port,
    addresses: ['127.0.0.1'],
    projects: [previews.project],
    pollMs: 500,
    holdMs: 3_000,
    log: (line) => log.push(line),
    accessLog: (line) => accessLog.push(line),
  });
});

afterAll(async () => {
  await gateway?.close();
  await previews?.dispose();
});

/** A request with the CI bypass header: the preview's own answer. */
function asCi(record: PreviewRecord, service = 'web', path = '/') {
  const { token } = shareLink(record, hostOf(record, service), new Date(Date.now() + 60_000));
  return send(port, hostOf(record, service), { path, headers: { 'x-devenv-preview-token': token } });
}

describe('the preview gateway', () => {
  it('routes each preview host to its own container', async () => {
    const answers = await Promise.all([asCi(main), asCi(feature), asCi(feature, 'api', '/x?y=1')]);
    expect(answers.map((answer) => answer.body)).toEqual([
      'main/web GET /',
      'feature/login/web GET /',
      'feature/login/api GET /x?y=1',
    ]);
    expect(answers.every((answer) => answer.headers['x-robots-tag'] === 'noindex')).toBe(true);
  });

  it('keeps private previews closed: 401 page for browsers, 401 JSON for API clients', async () => {
    const page = await send(port, hostOf(main), { headers: html });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('devenv preview share --branch main');
    expect(page.headers['x-robots-tag']).toBe('noindex');
    const api = await send(port, hostOf(main), { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ error: 'preview-private' });
  });

  it('opens with a share link: 303 with a host-only cookie, then 200 with the cookie', async () => {
    const link = shareLink(main, hostOf(main), new Date(Date.now() + 3_600_000));
    const redirect = await send(port, hostOf(main), {
      path: `${pathOf(link.url)}&next=/cart`,
      headers: html,
    });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toBe('/cart');
    expect(redirect.headers['x-robots-tag']).toBe('noindex');
    const setCookie = String(redirect.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${ACCESS_COOKIE}=`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).not.toMatch(/domain=/i);
    const cookie = setCookie.split(';')[0] ?? '';
    const answer = await send(port, hostOf(main), {
      path: '/cart',
      headers: { ...html, cookie: `${cookie}; theirs=1` },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('main/web GET /cart');
    // The gateway's cookie is its own: the preview only sees the rest.
    expect(JSON.parse(String(answer.headers['x-seen'])).cookie).toBe('theirs=1');
    // A cookie of one preview opens no other.
    const other = await send(port, hostOf(feature), { headers: { ...html, cookie } });
    expect(other.status).toBe(401);
  });

  it('refuses forged and expired links, saying which', async () => {
    const link = shareLink(main, hostOf(main), new Date(Date.now() + 3_600_000));
    const forged = await send(port, hostOf(main), {
      path: `${pathOf(link.url).slice(0, -3)}AAA`,
      headers: html,
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toContain('not valid');
    const wrongSecret = signToken('not the secret', {
      preview: main.id,
      expires: new Date(Date.now() + 60_000),
      purpose: 'share',
    });
    expect((await send(port, hostOf(main), { path: `/.devenv/share?token=${wrongSecret}` })).status).toBe(
      401,
    );
    const expired = shareLink(main, hostOf(main), new Date(Date.now() - 1_000));
    const old = await send(port, hostOf(main), { path: pathOf(expired.url), headers: html });
    expect(old.status).toBe(401);
    expect(old.body).toContain('expired');
    expect(old.headers['set-cookie']).toBeUndefined();
  });

  it('lets CI in with the bypass header, which never reaches the preview', async () => {
    const answer = await asCi(feature, 'api', '/health');
    expect(answer.status).toBe(200);
    const seen = JSON.parse(String(answer.headers['x-seen'])) as Record<string, string>;
    expect(seen['x-devenv-preview-token']).toBeUndefined();
    expect(seen['x-forwarded-host']).toBe(`${hostOf(feature, 'api')}:${port}`);
    const bad = await send(port, hostOf(feature, 'api'), { headers: { 'x-devenv-preview-token': 'x.y' } });
    expect(bad.status).toBe(401);
  });

  it('asks for the basic credentials of an `access: basic` preview, and keeps them from it', async () => {
    const none = await send(port, hostOf(locked), { headers: html });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe(`Basic realm="${locked.id}"`);
    expect(none.body).toContain('user name and password');
    const wrong = await send(port, hostOf(locked), {
      headers: { ...html, authorization: basic('tester:guess') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe(`Basic realm="${locked.id}"`);
    // Twice: the second answer comes from the gateway's memory of verified credentials.
    for (const path of ['/', '/again']) {
      const right = await send(port, hostOf(locked), {
        path,
        headers: { ...html, authorization: basic(`tester:${PASSWORD}`) },
      });
      expect(`${right.status} ${right.body}`).toBe(`200 locked/web GET ${path}`);
      const seen = JSON.parse(String(right.headers['x-seen'])) as Record<string, string>;
      expect(seen.authorization).toBeUndefined();
    }
    // Share links still open it; the app's own Authorization header then reaches it untouched.
    const answer = await send(port, hostOf(locked), {
      headers: {
        ...html,
        authorization: 'Bearer app-token',
        'x-devenv-preview-token': shareLink(locked, hostOf(locked), new Date(Date.now() + 60_000)).token,
      },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(String(answer.headers['x-seen'])).authorization).toBe('Bearer app-token');
    // A preview without basic credentials makes no browser ask for a password.
    expect((await send(port, hostOf(main), { headers: html })).headers['www-authenticate']).toBeUndefined();
    const logs = `${log.join('\n')}\n${accessLog.join('\n')}`;
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(basic(`tester:${PASSWORD}`).slice('Basic '.length));
  });

  it('serves declared public paths without a token', async () => {
    const hook = await send(port, hostOf(main), { path: '/webhooks/stripe', method: 'POST', body: '{}' });
    expect(hook.status).toBe(200);
    expect(hook.body).toBe('main/web POST /webhooks/stripe');
    expect(hook.headers['x-robots-tag']).toBe('noindex');
    expect((await send(port, hostOf(main), { path: '/webhooksX' })).status).toBe(401);
  });

  it('answers /.devenv/status with the preview and each service', async () => {
    const { token } = shareLink(feature, hostOf(feature), new Date(Date.now() + 60_000));
    const answer = await send(port, hostOf(feature), {
      path: '/.devenv/status',
      headers: { 'x-devenv-preview-token': token },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      id: feature.id,
      branch: 'feature/login',
      commit: 'c0ffee1',
      created: feature.created.toISOString(),
      expires: feature.expires.toISOString(),
      access: 'private',
      services: [
        { service: 'web', url: `http://${hostOf(feature)}:${port}`, state: 'ready', health: 'none' },
        { service: 'api', url: `http://${hostOf(feature, 'api')}:${port}`, state: 'ready', health: 'none' },
      ],
    });
    expect((await send(port, hostOf(feature), { path: '/.devenv/status' })).status).toBe(401);
  });

  it('shows building, failed (with the last lines) and deleted pages', async () => {
    const building = previews.record('building', { access: 'public' });
    const failing = previews.record('failing', { access: 'public' });
    await previews.writeRecord(building);
    await previews.writeRecord(failing);
    const crashed = await previews.startService(failing, 'web', {
      script: "console.log('cannot connect to the database'); process.exit(3)",
    });
    await crashed.wait();
    await gateway.refresh();

    const wait = await send(port, hostOf(building), { headers: html });
    expect(wait.status).toBe(503);
    expect(wait.body).toContain('still building');
    expect(wait.headers.refresh).toBeDefined();

    const failed = await send(port, hostOf(failing), { headers: { accept: 'application/json' } });
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toMatchObject({
      state: 'failed',
      detail: 'exited with code 3',
      lastLines: ['cannot connect to the database'],
    });

    const gone = previews.record('removed-branch');
    const deleted = await send(port, hostOf(gone), { headers: html });
    expect(deleted.status).toBe(404);
    expect(deleted.body).toContain('deleted');
    expect(deleted.body).toContain(`http://${hostOf(main)}:${port}`);
    expect(deleted.headers['x-robots-tag']).toBe('noindex');
    const unknown = await send(port, 'nothing.example.com', { headers: { accept: 'application/json' } });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'unknown-host', host: 'nothing.example.com' });
  });

  it('holds a request while the preview builds, and answers once its container serves', async () => {
    const late = previews.record('late', { access: 'public' });
    await previews.writeRecord(late);
    await gateway.refresh();
    const pending = send(port, hostOf(late), { path: '/first' });
    // The request is held (building), then the container appears: it waits for it to answer.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await previews.startService(late, 'web');
    const answer = await pending;
    expect(`${answer.status} ${answer.body}`).toBe('200 late/web GET /first');
  });

  it('keeps the oldest container until it is removed, then routes to its replacement', async () => {
    const swap = previews.record('swap', { access: 'public' });
    await previews.writeRecord(swap);
    const old = await previews.startService(swap, 'web', { name: 'old' });
    await gateway.refresh();
    expect((await send(port, hostOf(swap))).body).toBe('old GET /');
    await previews.startService(swap, 'web', { name: 'new' });
    await gateway.refresh();
    expect((await send(port, hostOf(swap))).body).toBe('old GET /');
    await old.remove({ force: true });
    await gateway.refresh();
    expect((await send(port, hostOf(swap))).body).toBe('new GET /');
  });

  it('refuses WebSocket upgrades without access, and proxies them with it', async () => {
    await expect(openWebSocket(port, hostOf(main))).rejects.toThrow('HTTP 401');
    const open = previews.record('sockets', { access: 'public' });
    await previews.writeRecord(open);
    await previews.startService(open, 'web');
    await gateway.refresh();
    expect((await send(port, hostOf(open))).status).toBe(200);
    const socket = await openWebSocket(port, hostOf(open));
    socket.send('hello through the gateway');
    expect(await socket.next()).toBe('hello through the gateway');
    socket.close();
  });

  it('keeps tokens and cookies out of the access log', async () => {
    const link = shareLink(main, hostOf(main), new Date(Date.now() + 60_000));
    const redirect = await send(port, hostOf(main), { path: pathOf(link.url) });
    const cookie = String(redirect.headers['set-cookie']).split(';')[0] ?? '';
    await send(port, hostOf(main), { headers: { cookie, 'x-devenv-preview-token': link.token } });
    // Lines are written when the response closes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = accessLog.join('\n');
    expect(text).toContain('/.devenv/share?token=[redacted]');
    expect(text).not.toContain(link.token);
    expect(text).not.toContain(link.token.split('.')[1]);
    expect(text).not.toContain(cookie.split('=')[1]);
    expect(log.join('\n')).not.toContain(main.secret);
  });
});
