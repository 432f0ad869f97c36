import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hashBasicCredentials } from '../preview/basic-auth.js';
import { ACCESS_COOKIE } from './cookies.js';
import { gatewayAuthorizer, indexPreviews } from './gateway-authorizer.js';
import { type GatewayPreview, gatewayPreviews } from './gateway-previews.js';
import { recordVolume, serviceContainer, testRecord } from './gateway-test-fixtures.js';
import { signToken } from './preview-token.js';

const now = new Date('2026-01-01T00:00:00Z');
const main = testRecord('shop', 'main');
const open = testRecord('shop', 'open', { access: 'public' });
const locked = testRecord('shop', 'locked', { basicAuth: hashBasicCredentials('shop:right') });
const previews = gatewayPreviews({
  records: [recordVolume(main), recordVolume(open), recordVolume(locked)],
  containers: [serviceContainer(main, 'web'), serviceContainer(open, 'web'), serviceContainer(locked, 'web')],
  now: new Date('2026-01-02T00:00:00Z'),
  sleeping: new Set(),
  waking: new Set(),
  lastLines: new Map(),
  answered: { has: () => true },
});

function request(host: string, url: string, headers: Record<string, string> = {}): IncomingMessage {
  const all = { host: `${host}:8080`, ...headers };
  return { url, headers: all, rawHeaders: Object.entries(all).flat() } as unknown as IncomingMessage;
}

function authorizer() {
  const allowed: GatewayPreview[] = [];
  const authorize = gatewayAuthorizer({
    index: () => indexPreviews(previews),
    now: () => now,
    onAllowed: (preview) => allowed.push(preview),
    onError: (error) => {
      throw error;
    },
  });
  return { authorize, allowed };
}

const hostOf = (record: typeof main) => record.services[0]?.host ?? '';

describe('gatewayAuthorizer', () => {
  it('strips its own credentials from what it lets through, and counts the request', () => {
    const { authorize, allowed } = authorizer();
    const token = signToken(main.secret, {
      preview: main.id,
      expires: new Date('2026-01-02'),
      purpose: 'share',
    });
    const req = request(hostOf(main), '/', {
      'x-devenv-preview-token': token,
      cookie: `${ACCESS_COOKIE}=whatever; theirs=1`,
    });
    expect(authorize(req)).toEqual({ kind: 'allow' });
    expect(req.headers['x-devenv-preview-token']).toBeUndefined();
    expect(req.headers.cookie).toBe('theirs=1');
    // The router forwards the raw list: it must be clean too.
    expect(req.rawHeaders).toEqual(['host', `${hostOf(main)}:8080`, 'cookie', 'theirs=1']);
    expect(allowed.map((preview) => preview.record.id)).toEqual([main.id]);
  });

  it('answers 500 and reports a failure to decide, rather than throwing into the server', () => {
    const errors: unknown[] = [];
    const authorize = gatewayAuthorizer({
      index: () => {
        throw new Error('broken index');
      },
      now: () => now,
      onAllowed: () => undefined,
      onError: (error) => errors.push(error),
    });
    expect(authorize(request(hostOf(main), '/'))).toMatchObject({ kind: 'respond', page: { status: 500 } });
    expect(errors).toHaveLength(1);
  });

  it('answers status itself, and only with access', () => {
    const { authorize, allowed } = authorizer();
    const status = authorize(request(hostOf(open), '/.devenv/status?x=1'));
    expect(status).toMatchObject({ kind: 'respond', page: { status: 200 } });
    if (status.kind === 'respond')
      expect(JSON.parse(status.page.body)).toMatchObject({ id: open.id, branch: 'open' });
    expect(authorize(request(hostOf(main), '/.devenv/status'))).toMatchObject({ page: { status: 401 } });
    expect(allowed).toEqual([]);
  });

  it('keeps a project known once its last preview is gone: its hosts get the deleted page', () => {
    const index = indexPreviews([], indexPreviews(previews).projects);
    expect(index.projects).toEqual([{ project: 'shop', domain: 'preview.localhost' }]);
    const authorize = gatewayAuthorizer({
      index: () => index,
      now: () => now,
      onAllowed: () => undefined,
      onError: (error) => {
        throw error;
      },
    });
    const deleted = authorize(request(hostOf(main), '/', { accept: 'application/json' }));
    expect(deleted.kind === 'respond' && JSON.parse(deleted.page.body)).toEqual({
      error: 'preview-deleted',
      host: hostOf(main),
      project: 'shop',
      previews: [],
    });
    const page = authorize(request(hostOf(main), '/'));
    expect(page).toMatchObject({ kind: 'respond', page: { status: 404 } });
    if (page.kind === 'respond') expect(page.page.body).toContain('has no preview now');
  });

  it('tells a deleted preview of a known project from an unknown host', () => {
    const { authorize } = authorizer();
    const gone = testRecord('shop', 'gone');
    const deleted = authorize(request(hostOf(gone), '/', { accept: 'application/json' }));
    expect(deleted.kind === 'respond' && JSON.parse(deleted.page.body)).toMatchObject({
      error: 'preview-deleted',
      project: 'shop',
      previews: [{ branch: 'locked' }, { branch: 'main' }, { branch: 'open' }],
    });
    const unknown = authorize(request('web--x.blog.preview.localhost', '/', { accept: 'application/json' }));
    expect(unknown.kind === 'respond' && JSON.parse(unknown.page.body)).toEqual({
      error: 'unknown-host',
      host: 'web--x.blog.preview.localhost',
    });
  });

  describe('with basic credentials', () => {
    const authorization = (credentials: string): string =>
      `Basic ${Buffer.from(credentials).toString('base64')}`;

    it('challenges the browser without access, naming the preview as the realm', () => {
      const { authorize } = authorizer();
      for (const headers of [{}, { authorization: authorization('shop:wrong') }] as Record<
        string,
        string
      >[]) {
        const verdict = authorize(request(hostOf(locked), '/', headers));
        expect(verdict).toMatchObject({
          kind: 'respond',
          page: { status: 401 },
          headers: { 'www-authenticate': `Basic realm="${locked.id}"` },
        });
      }
      // A preview without basic credentials does not make browsers ask for a password.
      const plain = authorize(request(hostOf(main), '/'));
      expect(plain.kind === 'respond' && plain.headers).toBeFalsy();
    });

    it('lets right credentials in, and the preview never sees them', () => {
      const { authorize, allowed } = authorizer();
      const req = request(hostOf(locked), '/', { Authorization: authorization('shop:right'), 'x-app': '1' });
      // IncomingMessage.headers has lowercase names; rawHeaders keeps the client's spelling.
      req.headers = { host: req.headers.host, authorization: authorization('shop:right'), 'x-app': '1' };
      expect(authorize(req)).toEqual({ kind: 'allow' });
      expect(req.headers.authorization).toBeUndefined();
      expect(req.rawHeaders).toEqual(['host', `${hostOf(locked)}:8080`, 'x-app', '1']);
      expect(allowed.map((preview) => preview.record.id)).toEqual([locked.id]);
    });

    it("keeps an Authorization header that was not the gateway's", () => {
      const { authorize } = authorizer();
      const token = signToken(locked.secret, {
        preview: locked.id,
        expires: new Date('2026-01-02'),
        purpose: 'share',
      });
      const req = request(hostOf(locked), '/', {
        'x-devenv-preview-token': token,
        authorization: 'Bearer app-token',
      });
      expect(authorize(req)).toEqual({ kind: 'allow' });
      expect(req.headers.authorization).toBe('Bearer app-token');
      expect(req.rawHeaders).toEqual(['host', `${hostOf(locked)}:8080`, 'authorization', 'Bearer app-token']);
    });
  });
});
