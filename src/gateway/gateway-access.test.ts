import { describe, expect, it } from 'vitest';
import { hashBasicCredentials } from '../preview/basic-auth.js';
import { ACCESS_COOKIE } from './cookies.js';
import { decideAccess, isPublicPath, redactTokens } from './gateway-access.js';
import { testRecord } from './gateway-test-fixtures.js';
import { signToken } from './preview-token.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T01:00:00Z');
const record = testRecord('shop', 'main', { publicPaths: ['/webhooks/'] });
const share = signToken(record.secret, { preview: record.id, expires: later, purpose: 'share' });

describe('decideAccess', () => {
  it('turns a valid share link into a cookie and a redirect without the token', () => {
    const outcome = decideAccess(
      record,
      { url: `/.devenv/share?token=${share}&next=/cart`, headers: {} },
      now,
    );
    expect(outcome).toMatchObject({ kind: 'share', location: '/cart' });
    if (outcome.kind !== 'share') return;
    expect(outcome.setCookie).toMatch(
      new RegExp(`^${ACCESS_COOKIE}=[^;]+; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax$`),
    );
    const cookie = outcome.setCookie.split(';')[0] ?? '';
    expect(decideAccess(record, { url: '/cart', headers: { cookie } }, now)).toEqual({ kind: 'allow' });
    expect(decideAccess(record, { url: '/cart', headers: { cookie } }, later)).toEqual({
      kind: 'denied',
      reason: 'expired',
    });
  });

  it('never redirects to another site', () => {
    for (const next of [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      '/a\r\nSet-Cookie: x=1',
    ])
      expect(
        decideAccess(
          record,
          { url: `/.devenv/share?token=${share}&next=${encodeURIComponent(next)}`, headers: {} },
          now,
        ),
      ).toMatchObject({ location: '/' });
  });

  it('denies without a token, and tells expired from invalid', () => {
    expect(decideAccess(record, { url: '/', headers: {} }, now)).toEqual({
      kind: 'denied',
      reason: 'missing',
    });
    expect(decideAccess(record, { url: `/.devenv/share?token=${share}x`, headers: {} }, now)).toEqual({
      kind: 'denied',
      reason: 'invalid',
    });
    expect(decideAccess(record, { url: `/.devenv/share?token=${share}`, headers: {} }, later)).toEqual({
      kind: 'denied',
      reason: 'expired',
    });
    // A share token is not a cookie.
    expect(
      decideAccess(record, { url: '/', headers: { cookie: `${ACCESS_COOKIE}=${share}` } }, now),
    ).toMatchObject({
      reason: 'invalid',
    });
  });

  it('lets the bypass header, public paths and public previews through', () => {
    expect(decideAccess(record, { url: '/', headers: { 'x-devenv-preview-token': share } }, now).kind).toBe(
      'allow',
    );
    expect(
      decideAccess(record, { url: '/', headers: { 'x-devenv-preview-token': 'x.y' } }, now),
    ).toMatchObject({
      reason: 'invalid',
    });
    expect(decideAccess(record, { url: '/webhooks/stripe?x=1', headers: {} }, now).kind).toBe('allow');
    expect(decideAccess(record, { url: '/webhooksX', headers: {} }, now).kind).toBe('denied');
    expect(decideAccess({ ...record, access: 'public' }, { url: '/', headers: {} }, now).kind).toBe('allow');
  });

  it('does not let a public prefix lead elsewhere', () => {
    for (const url of [
      '/webhooks/../admin',
      '/webhooks/%2e%2e/admin',
      '/webhooks/.%2E/admin',
      '/webhooks//x',
      '/webhooks/%5c..%5cadmin',
      '/webhooks/%zz',
      '//evil/webhooks/x',
    ])
      expect(decideAccess(record, { url, headers: {} }, now).kind, url).toBe('denied');
    expect(decideAccess(record, { url: '/webhooks/a.b/c..d?x=/../', headers: {} }, now).kind).toBe('allow');
  });
});

describe('isPublicPath', () => {
  const prefixes = ['/webhooks/'];

  // Each path is read by some upstream (Tomcat/Spring: `;` parameters, `..;`; most: percent-decoding,
  // dot segments; some: `\\` as `/`, `//` collapsed, `%2f` decoded after routing) as a private path,
  // or is ambiguous enough that it could be.
  it.each([
    ['/webhooks/..;/admin', 'Tomcat path parameter on ..'],
    ['/webhooks/..;x=1/admin', 'path parameter with a value'],
    ['/webhooks/.;/../admin', 'path parameter on .'],
    ['/webhooks/%2e%2e;/admin', 'encoded dots with a parameter'],
    ['/webhooks/..%3b/admin', 'encoded semicolon'],
    ['/webhooks/%2e%2e%3B/admin', 'all encoded, upper-case hex'],
    ['/webhooks/../admin', 'plain dot segment'],
    ['/webhooks/%2e%2e/admin', 'encoded dot segment'],
    ['/webhooks/.%2E/admin', 'half-encoded dot segment'],
    ['/webhooks/%252e%252e/admin', 'double-encoded dots'],
    ['/webhooks/..%2fadmin', 'encoded slash'],
    ['/webhooks/..%2Fadmin', 'encoded slash, upper-case'],
    ['/webhooks/x%2f..%2f..%2fadmin', 'encoded slashes'],
    ['/webhooks/..%5cadmin', 'encoded backslash'],
    ['/webhooks/..\\admin', 'backslash'],
    ['/webhooks\\..\\admin', 'backslash in the prefix'],
    ['/webhooks/%00/../admin', 'encoded NUL'],
    ['/webhooks/x%00', 'encoded NUL at the end'],
    ['/webhooks//../admin', 'doubled slash before ..'],
    ['/webhooks//x', 'doubled slash'],
    ['//webhooks/x', 'leading doubled slash'],
    ['/webhooks/%zz', 'malformed escape'],
    ['/webhooks/%', 'truncated escape'],
    ['/webhooks/x/../../admin', 'climbs out after a segment'],
    ['/webhooks/..', 'the prefix parent'],
    ['/webhooks/%2e%2e', 'the prefix parent, encoded'],
    ['/admin/..;/webhooks/x', 'private path as sent'],
    ['/webhooks/x%0d%0a', 'control characters'],
    ['/webhooksX', 'not under the prefix'],
    ['/webhooks/../admin#/../webhooks/x', 'a fragment hides the climb from a URL parser'],
    ['/webhooks/x#', 'a fragment marker'],
    ['/webhooks/x/..%23/../../admin', 'an encoded fragment marker'],
    ['/webhooks/..%3f/admin', 'an encoded query marker'],
  ])('%s (%s) is not public', (path) => {
    expect(isPublicPath(path, prefixes)).toBe(false);
  });

  it.each([
    '/webhooks/',
    '/webhooks/stripe',
    '/webhooks/a.b/c..d',
    '/webhooks/%7Euser/x',
    '/webhooks/x/./y',
    '/webhooks/x/../y',
    '/webhooks/caf%C3%A9',
    '/webhooks/my%20hook',
    '/webhooks/x;jsessionid=1',
  ])('%s is public', (path) => {
    expect(isPublicPath(path, prefixes)).toBe(true);
  });
});

describe('decideAccess with basic credentials', () => {
  const basic = { ...record, basicAuth: hashBasicCredentials('shop:right') };
  const authorization = (credentials: string): string =>
    `Basic ${Buffer.from(credentials).toString('base64')}`;

  it('lets matching credentials in, marked so the gateway strips them', () => {
    expect(
      decideAccess(basic, { url: '/', headers: { authorization: authorization('shop:right') } }, now),
    ).toEqual({
      kind: 'allow',
      basic: true,
    });
  });

  it('says which credentials failed, and still honours links, cookies and public paths', () => {
    expect(decideAccess(basic, { url: '/', headers: {} }, now)).toEqual({
      kind: 'denied',
      reason: 'missing',
    });
    expect(
      decideAccess(basic, { url: '/', headers: { authorization: authorization('shop:wrong') } }, now),
    ).toEqual({ kind: 'denied', reason: 'credentials' });
    // Wrong basic credentials next to a valid bypass token: the token lets it in, and the header is the app's.
    expect(
      decideAccess(
        basic,
        {
          url: '/',
          headers: { authorization: authorization('shop:wrong'), 'x-devenv-preview-token': share },
        },
        now,
      ),
    ).toEqual({ kind: 'allow' });
    expect(decideAccess(basic, { url: '/webhooks/x', headers: {} }, now)).toEqual({ kind: 'allow' });
    expect(decideAccess({ ...basic, access: 'public' }, { url: '/', headers: {} }, now)).toEqual({
      kind: 'allow',
    });
  });

  it('ignores basic credentials on a preview without a basic-auth hash, and other schemes', () => {
    expect(
      decideAccess(record, { url: '/', headers: { authorization: authorization('shop:right') } }, now),
    ).toEqual({ kind: 'denied', reason: 'missing' });
    expect(decideAccess(basic, { url: '/', headers: { authorization: 'Bearer x' } }, now)).toEqual({
      kind: 'denied',
      reason: 'missing',
    });
  });

  it('asks the given check, so the gateway can remember verified headers', () => {
    const seen: string[] = [];
    const outcome = decideAccess(
      basic,
      { url: '/', headers: { authorization: authorization('any:thing') } },
      now,
      (stored, header) => {
        seen.push(`${stored === basic.basicAuth} ${header}`);
        return true;
      },
    );
    expect(outcome).toEqual({ kind: 'allow', basic: true });
    expect(seen).toEqual([`true ${authorization('any:thing')}`]);
  });
});

describe('redactTokens', () => {
  it('removes share tokens from request lines', () => {
    expect(redactTokens(`t id h "GET /.devenv/share?token=${share}&next=/" 303`)).toBe(
      't id h "GET /.devenv/share?token=[redacted]&next=/" 303',
    );
    expect(redactTokens('"GET /a?b=1&token=abc.def" 200')).toBe('"GET /a?b=1&token=[redacted]" 200');
  });
});
