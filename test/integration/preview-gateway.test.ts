import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewId } from '../../src/preview/preview-contract.js';
import { testEngine } from '../support/engine.js';
import { PreviewProject, previewResources, sweepPreviews } from '../support/preview-project.js';
import { type Answer, freePort, send } from '../support/router-upstreams.js';
import { waitFor } from '../support/wait.js';

// Issue #8 end to end: real previews (`devenv preview up`, Postgres and a Node service built on the
// engine) behind the real gateway (`devenv serve`, the built binary), as a user and a CI job reach them.
// The preview domain carries the gateway's port, so the URLs `preview url` prints are the ones that serve.

const docker = testEngine();
const BRANCHES = ['feat/a', 'feat/b'] as const;
const json = { accept: 'application/json' };
const html = { accept: 'text/html,application/xhtml+xml' };

/** What PREVIEW_SERVER answers. */
interface ServerAnswer {
  message: string;
  url: string;
  db: string;
  headers: Record<string, string>;
}

describe('preview gateway: two real previews behind devenv serve, with access control', () => {
  const project = new PreviewProject();
  let port: number;
  let gateway: (ChildProcess & { output: () => string }) | undefined;
  /** `preview url` before anything existed, by branch. */
  const urls = new Map<string, string>();
  /** The CI header's token, by branch (`preview share --header`). */
  const tokens = new Map<string, string>();
  /** Preview ids as `preview ls` reports them, by branch. */
  const ids = new Map<string, string>();

  const hostOf = (branch: string): string => new URL(urls.get(branch) ?? 'http://missing').hostname;
  const pathOf = (link: string): string => link.replace(/^http:\/\/[^/]+/, '');
  /** A request through the gateway for `branch`'s web service (Node's resolver does not resolve *.localhost). */
  const request = (branch: string, options: Parameters<typeof send>[2] = {}): Promise<Answer> =>
    send(port, hostOf(branch), options);
  const gatewayOutput = (): string => gateway?.output() ?? '(gateway not started)';
  // Never spawnSync while the gateway runs: its output pipe must keep draining (a full pipe blocks it).
  const devenv = (args: readonly string[]) => project.runAsync(args);

  beforeAll(async () => {
    port = await freePort();
    project.env = {
      DEVENV_ROUTER_PORT: String(await freePort()),
      DEVENV_PREVIEW_DOMAIN: `preview.localhost:${port}`,
    };
    // Started before any preview exists: it picks previews up as they appear.
    const child = project.start([
      'serve',
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--project',
      project.name,
    ]);
    gateway = child;
    await waitFor(
      'devenv serve to listen',
      async () => {
        if (child.exitCode !== null) throw new Error(`devenv serve exited: ${child.output()}`);
        return child.output().includes('gateway listening') ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
  }, 60_000);

  afterAll(async () => {
    // Runs whatever failed: nothing of the previews and no gateway may outlive the test.
    for (const branch of BRANCHES) await devenv(['preview', 'down', '--branch', branch]);
    await sweepPreviews(
      docker,
      BRANCHES.map((branch) => previewId(project.name, branch)),
    );
    const child = gateway;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await project.dispose(docker);
  });

  it('serves each branch’s own code through the gateway under the URL printed before the deploy', async () => {
    for (const branch of BRANCHES) {
      const url = await devenv(['preview', 'url', '--branch', branch, '--json']);
      expect(url.code, url.stderr).toBe(0);
      const { web } = JSON.parse(url.stdout) as { web: string };
      expect(web).toMatch(
        new RegExp(`^http://web--feat-[ab]-[0-9a-f]{8}\\.${project.name}\\.preview\\.localhost:${port}$`),
      );
      urls.set(branch, web);
    }
    expect(urls.get('feat/a')).not.toBe(urls.get('feat/b'));

    for (const branch of BRANCHES) {
      project.branch(branch, `code of ${branch}`);
      const up = await devenv(['preview', 'up']);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toContain(urls.get(branch));
    }
    const list = JSON.parse((await devenv(['preview', 'ls', '--json'])).stdout) as {
      id: string;
      branch: string;
    }[];
    for (const { id, branch } of list) if (id.endsWith(`.${project.name}`)) ids.set(branch, id);
    expect([...ids.keys()].sort()).toEqual([...BRANCHES]);

    for (const branch of BRANCHES) {
      // A CI job's way in: a token in a header (the gateway removes it before the preview sees it).
      const share = await devenv(['preview', 'share', '--branch', branch, '--header']);
      expect(share.code, share.stderr).toBe(0);
      const [name, token] = share.stdout.trim().split(': ');
      expect(name).toBe('X-Devenv-Preview-Token');
      tokens.set(branch, token ?? '');
    }

    for (const branch of BRANCHES) {
      // The gateway learns of a new preview on an engine event or its next poll: wait for it, no timing asserted.
      const answer = await waitFor(
        `${hostOf(branch)} through the gateway`,
        async () => {
          const got = await request(branch, {
            headers: { ...json, 'x-devenv-preview-token': tokens.get(branch) ?? '' },
          });
          if (got.status !== 200) throw new Error(`HTTP ${got.status} ${got.body}\n${gatewayOutput()}`);
          return got;
        },
        { timeoutMs: 90_000 },
      );
      const body = JSON.parse(answer.body) as ServerAnswer;
      expect(body.message).toBe(`code of ${branch}`);
      // The URL printed before the deploy is the one serving, and the one the service knows as its own.
      expect(body.url).toBe(urls.get(branch));
      expect(body.db).toBe('db:5432');
      expect(body.headers['x-devenv-preview-token']).toBeUndefined();
      expect(body.headers['x-forwarded-host']).toBe(`${hostOf(branch)}:${port}`);
      expect(answer.headers['x-robots-tag']).toBe('noindex');

      const status = await request(branch, {
        path: '/.devenv/status',
        headers: { ...json, 'x-devenv-preview-token': tokens.get(branch) ?? '' },
      });
      expect(status.status).toBe(200);
      expect(JSON.parse(status.body)).toMatchObject({
        id: ids.get(branch),
        project: project.name,
        branch,
        access: 'private',
        services: [{ service: 'web', url: urls.get(branch), state: 'ready' }],
      });
    }

    // A token opens its own preview only.
    const crossed = await request('feat/b', {
      headers: { ...json, 'x-devenv-preview-token': tokens.get('feat/a') ?? '' },
    });
    expect(crossed.status).toBe(401);
    expect(JSON.parse(crossed.body)).toMatchObject({ error: 'token-invalid' });
  }, 600_000);

  it('keeps the previews private: 401, then a share link, its cookie, and nothing forged', async () => {
    const page = await request('feat/a', { headers: html });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('devenv preview share --branch feat/a');
    const api = await request('feat/a', { headers: json });
    expect(api.status).toBe(401);
    expect(api.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(api.body)).toMatchObject({ error: 'preview-private' });
    expect(api.body).not.toContain('code of');

    const share = await devenv(['preview', 'share', '--branch', 'feat/a']);
    expect(share.code, share.stderr).toBe(0);
    const link = share.stdout.trim();
    expect(link.startsWith(`${urls.get('feat/a')}/.devenv/share?token=`)).toBe(true);

    const redirect = await request('feat/a', { path: pathOf(link), headers: html });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toBe('/');
    const setCookie = String(redirect.headers['set-cookie']);
    expect(setCookie).toMatch(/^devenv_preview=/);
    const cookie = setCookie.split(';')[0] ?? '';

    const opened = await request('feat/a', { headers: { ...json, cookie } });
    expect(opened.status).toBe(200);
    const body = JSON.parse(opened.body) as ServerAnswer;
    expect(body.message).toBe('code of feat/a');
    // The gateway's cookie is its own: the preview's code never sees it.
    expect(body.headers.cookie).toBeUndefined();

    // feat/a's cookie does not open feat/b.
    const other = await request('feat/b', { headers: { ...json, cookie } });
    expect(other.status).toBe(401);
    expect(JSON.parse(other.body)).toMatchObject({ error: 'token-invalid' });

    // One character of the signature changed (its first: every bit of it counts): refused, no cookie.
    const token = new URL(link).searchParams.get('token') ?? '';
    const [payload, signature = ''] = token.split('.');
    const forgedToken = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(forgedToken).not.toBe(token);
    const forged = await request('feat/a', {
      path: `/.devenv/share?token=${forgedToken}`,
      headers: json,
    });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ error: 'token-invalid' });
    expect(forged.headers['set-cookie']).toBeUndefined();
    const forgedHeader = await request('feat/a', {
      headers: { ...json, 'x-devenv-preview-token': forgedToken },
    });
    expect(forgedHeader.status).toBe(401);
  }, 120_000);

  it('preview down leaves nothing labelled with either preview, and the gateway says the preview was deleted', async () => {
    for (const [index, branch] of BRANCHES.entries()) {
      const id = ids.get(branch) ?? '';
      const down = await devenv(['preview', 'down', '--branch', branch]);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toContain(`Removed preview ${id}`);
      expect(await previewResources(docker, id)).toEqual({
        containers: [],
        networks: [],
        volumes: [],
        images: [],
      });

      // The gateway notices on an event or its next poll.
      const gone = await waitFor(
        `the deleted page for ${hostOf(branch)}`,
        async () => {
          const got = await request(branch, { headers: json });
          if (got.status !== 404) throw new Error(`HTTP ${got.status} ${got.body}`);
          return got;
        },
        { timeoutMs: 30_000 },
      );
      const remaining = BRANCHES.slice(index + 1);
      expect(JSON.parse(gone.body)).toEqual({
        error: 'preview-deleted',
        host: hostOf(branch),
        project: project.name,
        previews: remaining.map((other) => ({ branch: other, urls: { web: urls.get(other) } })),
      });
      const page = await request(branch, { headers: html });
      expect(page.status).toBe(404);
      expect(page.body).toContain('It was deleted or has expired.');
    }
  }, 300_000);
});
