import type { IncomingHttpHeaders } from 'node:http';
import { basicCredentialsOf, verifyBasicCredentials } from '../preview/basic-auth.js';
import type { PreviewRecord } from '../preview/preview-contract.js';
import type { BasicCheck } from './basic-auth-cache.js';
import { ACCESS_COOKIE, accessCookie, parseCookies } from './cookies.js';
import { normaliseRequestPath } from './normalise-request-path.js';
import { signToken, verifyToken } from './preview-token.js';

/** The path of share links: `/.devenv/share?token=<token>[&next=/path]`. */
export const SHARE_PATH = '/.devenv/share';
/** The CI bypass header; removed before the request goes upstream. */
export const TOKEN_HEADER = 'x-devenv-preview-token';

export interface AccessRequest {
  /** The request target, `/path?query`. */
  url: string;
  headers: IncomingHttpHeaders;
}

export type AccessOutcome =
  /** `basic`: let in by the preview's basic credentials, so the `Authorization` header is the gateway's. */
  | { kind: 'allow'; basic?: true }
  /** A valid share link: set the cookie and send the browser on without the token. */
  | { kind: 'share'; location: string; setCookie: string }
  | { kind: 'denied'; reason: DeniedReason };

/** `credentials`: basic credentials were sent and did not match (and nothing else let the request in). */
export type DeniedReason = 'missing' | 'invalid' | 'expired' | 'credentials';

/** scrypt on every call; the gateway passes a remembering `basicAuthCache` instead. */
const verifyBasicHeader: BasicCheck = (stored, authorization) => {
  const credentials = basicCredentialsOf(authorization);
  return credentials !== undefined && verifyBasicCredentials(stored, credentials);
};

/**
 * Pure (given a pure `checkBasic`): whether a request may reach a preview. Public previews and
 * declared public paths pass; a private preview wants a valid share token (in the bypass header), the
 * cookie a share link set or, when its record has a basic-auth hash, matching basic credentials.
 */
export function decideAccess(
  record: PreviewRecord,
  request: AccessRequest,
  now: Date,
  checkBasic: BasicCheck = verifyBasicHeader,
): AccessOutcome {
  // Split by hand: `new URL` would read `//host/path` as another host, and throws on some targets.
  const query = request.url.indexOf('?');
  const pathname = query === -1 ? request.url : request.url.slice(0, query);
  const searchParams = new URLSearchParams(query === -1 ? '' : request.url.slice(query + 1));
  if (pathname === SHARE_PATH) {
    const token = searchParams.get('token');
    if (token === null || token === '') return { kind: 'denied', reason: 'missing' };
    const check = verifyToken(record.secret, token, { preview: record.id, purpose: 'share' }, now);
    if (!check.ok) return { kind: 'denied', reason: check.reason };
    const cookie = signToken(record.secret, {
      preview: record.id,
      expires: check.expires,
      purpose: 'cookie',
    });
    const secure = String(request.headers['x-forwarded-proto']).split(',')[0]?.trim() === 'https';
    return {
      kind: 'share',
      location: safeNext(searchParams.get('next')),
      setCookie: accessCookie(cookie, (check.expires.getTime() - now.getTime()) / 1000, secure),
    };
  }
  if (record.access === 'public') return { kind: 'allow' };
  if (isPublicPath(pathname, record.publicPaths)) return { kind: 'allow' };
  const stored = record.basicAuth;
  const authorization = request.headers.authorization;
  const basicSent =
    stored !== undefined && authorization !== undefined && basicCredentialsOf(authorization) !== undefined;
  if (basicSent && checkBasic(stored, authorization)) return { kind: 'allow', basic: true };
  const header = request.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header !== '') {
    const check = verifyToken(record.secret, header.trim(), { preview: record.id, purpose: 'share' }, now);
    return check.ok ? { kind: 'allow' } : { kind: 'denied', reason: check.reason };
  }
  const cookie = parseCookies(request.headers.cookie).get(ACCESS_COOKIE);
  if (cookie !== undefined) {
    const check = verifyToken(record.secret, cookie, { preview: record.id, purpose: 'cookie' }, now);
    return check.ok ? { kind: 'allow' } : { kind: 'denied', reason: check.reason };
  }
  return { kind: 'denied', reason: basicSent ? 'credentials' : 'missing' };
}

/**
 * Only a plain path on the same host: `//evil.example`, a full URL or `/\\evil.example` would make
 * share links open redirects, and a control character would be refused as a header value.
 */
function safeNext(next: string | null): string {
  if (next === null || !/^\/[\x21-\x7e]*$/.test(next) || next.startsWith('//') || next.startsWith('/\\'))
    return '/';
  return next;
}

/**
 * Whether a path is under a declared public prefix however the preview's server reads it: percent-
 * decoded as sent (a server routing on the raw path) and normalised (`;parameters` stripped, dot
 * segments resolved: `/webhooks/..;/admin` is `/admin` to Tomcat). A path servers could read
 * differently (`%2f`, backslashes, NUL, `//`; see `normaliseRequestPath`) is never public.
 */
export function isPublicPath(pathname: string, prefixes: readonly string[]): boolean {
  const read = normaliseRequestPath(pathname);
  if (read === undefined) return false;
  const under = (path: string): boolean =>
    prefixes.some((prefix) => prefix !== '' && path.startsWith(prefix));
  return under(read.decoded) && under(read.normalised);
}

/** Share tokens in request targets (`?token=…`) replaced, so access logs never hold a usable token. */
export function redactTokens(line: string): string {
  return line.replace(/([?&]token=)[^&\s"]*/gi, '$1[redacted]');
}
