import type { IncomingMessage } from 'node:http';
import { hostName } from '../router/route-table.js';
import { jsonPage, type RouterPage, wantsJson } from '../router/router-page.js';
import type { RequestVerdict } from '../router/start-router-server.js';
import { type BasicCheck, basicAuthCache } from './basic-auth-cache.js';
import { ACCESS_COOKIE, withoutCookie } from './cookies.js';
import { decideAccess, TOKEN_HEADER } from './gateway-access.js';
import {
  accessDeniedPage,
  deletedPreviewPage,
  noPreviewPage,
  seeOtherPage,
  statusPage,
} from './gateway-pages.js';
import { domainHost, type GatewayPreview } from './gateway-previews.js';

/** The path answering a preview's status as JSON. */
export const STATUS_PATH = '/.devenv/status';

/** A project the gateway serves, with the base domain (host part) its previews' hosts were computed for. */
export interface KnownProject {
  project: string;
  domain: string;
}

/** The previews served, by lowercase host. */
export interface GatewayIndex {
  byHost: ReadonlyMap<string, GatewayPreview>;
  previews: readonly GatewayPreview[];
  /**
   * The projects of `previews` and those of earlier indexes: a host under a project's preview domain
   * gets the "deleted" page also once that project's last preview is gone.
   */
  projects: readonly KnownProject[];
}

/** `known`: the projects of the previous index, kept (the gateway passes its last index's). */
export function indexPreviews(
  previews: readonly GatewayPreview[],
  known: readonly KnownProject[] = [],
): GatewayIndex {
  const byHost = new Map<string, GatewayPreview>();
  for (const preview of previews)
    for (const { host } of preview.record.services) byHost.set(host.toLowerCase(), preview);
  const projects = [...known];
  for (const { record } of previews) {
    const domain = domainHost(record.domain);
    if (!projects.some((seen) => seen.project === record.project && seen.domain === domain))
      projects.push({ project: record.project, domain });
  }
  return { byHost, previews, projects };
}

export interface AuthorizerDeps {
  index: () => GatewayIndex;
  now: () => Date;
  /** A request passed access control (idle tracking, waking a sleeping preview). */
  onAllowed: (preview: GatewayPreview) => void;
  /** A bug in deciding: the request gets a 500, the gateway keeps serving, the error is logged here. */
  onError: (error: unknown) => void;
  /** Checks basic credentials; by default one `basicAuthCache` for the authorizer's lifetime. */
  checkBasic?: BasicCheck;
}

/**
 * The gateway's `authorize` hook for the router: unknown and deleted hosts, access control, share
 * links and the status endpoint. What passes loses the gateway's own credentials (bypass header,
 * cookie, and the `Authorization` header when it carried the preview's basic credentials) before the
 * router proxies it: the preview's code never sees them.
 */
export function gatewayAuthorizer(deps: AuthorizerDeps): (req: IncomingMessage) => RequestVerdict {
  const decide = authorizeRequest(deps);
  return (req) => {
    try {
      return decide(req);
    } catch (error) {
      // Thrown inside the HTTP server's request handler, it would end the process for everyone.
      deps.onError(error);
      return { kind: 'respond', page: jsonPage(500, { error: 'gateway-error' }) };
    }
  };
}

function authorizeRequest(deps: AuthorizerDeps): (req: IncomingMessage) => RequestVerdict {
  const checkBasic = deps.checkBasic ?? basicAuthCache({ now: () => deps.now().getTime() });
  return (req): RequestVerdict => {
    const host = hostName(req.headers.host);
    const json = wantsJson(req.headers.accept);
    const index = deps.index();
    const preview = index.byHost.get(host);
    if (preview === undefined) return { kind: 'respond', page: unknownHostPage(host, index, json) };
    const { record } = preview;
    const outcome = decideAccess(
      record,
      { url: req.url ?? '/', headers: req.headers },
      deps.now(),
      checkBasic,
    );
    switch (outcome.kind) {
      case 'denied': {
        const page = accessDeniedPage(record, outcome.reason, json);
        if (record.basicAuth === undefined) return { kind: 'respond', page };
        // The challenge makes a browser ask for the user name and password (and retry with them).
        return { kind: 'respond', page, headers: { 'www-authenticate': basicChallenge(record.id) } };
      }
      case 'share':
        return {
          kind: 'respond',
          page: seeOtherPage,
          headers: { location: outcome.location, 'set-cookie': outcome.setCookie },
        };
      case 'allow':
        break;
    }
    const cookie = withoutCookie(req.headers.cookie, ACCESS_COOKIE);
    // Only the gateway's own credentials go: another Authorization (the app's) passes untouched.
    stripRequestHeaders(req, cookie, outcome.basic === true);
    if ((req.url ?? '/').split('?')[0] === STATUS_PATH) return { kind: 'respond', page: statusPage(preview) };
    deps.onAllowed(preview);
    return { kind: 'allow' };
  };
}

/** "Deleted" when the host sits under a project's preview domain, otherwise a bare 404. */
export function unknownHostPage(host: string, index: GatewayIndex, json: boolean): RouterPage {
  const project = index.projects.find(({ project, domain }) =>
    host.endsWith(`.${project.toLowerCase()}.${domain}`),
  )?.project;
  if (project === undefined) return noPreviewPage(host, json);
  return deletedPreviewPage(
    host,
    project,
    index.previews.filter(({ record }) => record.project === project),
    json,
  );
}

/** `Basic realm="<preview id>"`: the realm names the preview, so a browser keeps one login per preview. */
export function basicChallenge(previewId: string): string {
  return `Basic realm="${previewId.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Removes the bypass token, the gateway's cookie and (with `authorization`) the basic credentials
 * before the request goes upstream: from `req.headers` and from `req.rawHeaders` (the router forwards
 * the raw list, to keep the client's spelling and order), so none ever reaches a preview's code.
 */
function stripRequestHeaders(req: IncomingMessage, cookie: string | undefined, authorization = false): void {
  delete req.headers[TOKEN_HEADER];
  if (authorization) delete req.headers.authorization;
  if (cookie === undefined) delete req.headers.cookie;
  else req.headers.cookie = cookie;
  const raw = req.rawHeaders;
  let cookieKept = false;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    const name = (raw[i] as string).toLowerCase();
    if (name === TOKEN_HEADER || (authorization && name === 'authorization')) raw.splice(i, 2);
    else if (name === 'cookie') {
      // Several Cookie lines are joined in req.headers: keep one line carrying what is left.
      if (cookie === undefined || cookieKept) raw.splice(i, 2);
      else {
        raw[i + 1] = cookie;
        cookieKept = true;
      }
    }
  }
}
