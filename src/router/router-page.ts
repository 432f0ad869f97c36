import type { Route, RouteTable } from './route-table.js';

/** A response the router makes itself, instead of proxying: status code, type and body. */
export interface RouterPage {
  status: number;
  contentType: string;
  body: string;
  /** Seconds after which the HTML page reloads itself (the service may be back by then). */
  refreshSeconds?: number;
}

/** Why a service's request got a page rather than its answer. */
export type ServiceProblem =
  /** Its state is `crashed`, `failed` or `stopped`. */
  | { kind: 'down' }
  /** It was still coming up when the hold time ran out. */
  | { kind: 'still-starting'; waitedMs: number }
  /** Its state said ready, but the connection failed or it did not answer in time. */
  | { kind: 'upstream'; code: string; message: string };

const REFRESH_SECONDS = 2;

/** The page for a service that cannot answer: which service, its state, why, and its last lines. */
export function servicePage(route: Route, problem: ServiceProblem, json: boolean): RouterPage {
  const { target, environment } = route;
  const status = problem.kind === 'upstream' ? (problem.code === 'UPSTREAM_TIMEOUT' ? 504 : 502) : 503;
  const detail =
    problem.kind === 'still-starting'
      ? `still ${target.state} after ${Math.round(problem.waitedMs / 1000)}s`
      : problem.kind === 'upstream'
        ? `${problem.message} (${problem.code})`
        : target.detail;
  const summary = {
    service: target.service,
    project: environment.project,
    env: environment.env,
    state: target.state,
    ...(detail === undefined ? {} : { detail }),
    lastLines: target.lastLines ?? [],
  };
  if (json) return jsonPage(status, { error: 'service-unavailable', ...summary });
  const lines = summary.lastLines.length > 0 ? `<pre>${escapeHtml(summary.lastLines.join('\n'))}</pre>` : '';
  return htmlPage(
    status,
    `${target.service} is ${target.state}`,
    [
      `<h1><code>${escapeHtml(target.service)}</code> is ${escapeHtml(target.state)}</h1>`,
      `<p>Environment <code>${escapeHtml(environment.project)}/${escapeHtml(environment.env)}</code>` +
        (detail === undefined ? '' : `: ${escapeHtml(detail)}`) +
        '</p>',
      lines,
      `<p class="hint">This page reloads every ${REFRESH_SECONDS}s. <code>devenv logs ${escapeHtml(target.service)}</code> shows the whole output.</p>`,
    ].join('\n'),
    REFRESH_SECONDS,
  );
}

/** The page for a host no running environment serves: what does exist, with links. */
export function unknownHostPage(
  host: string,
  table: RouteTable,
  routerPort: number,
  json: boolean,
): RouterPage {
  const suffix = routerPort === 80 ? '' : `:${routerPort}`;
  const environments = table.environments.map((environment) => ({
    project: environment.project,
    env: environment.env,
    urls: Object.fromEntries(
      environment.routes.map((target) => [target.service, `http://${target.host}${suffix}`]),
    ),
  }));
  if (json) return jsonPage(404, { error: 'unknown-host', host, environments });
  const list =
    environments.length === 0
      ? '<p>No environment is running. Start one with <code>devenv up</code>.</p>'
      : environments
          .map(
            (environment) =>
              `<h2>${escapeHtml(environment.project)}/${escapeHtml(environment.env)}</h2><ul>` +
              Object.entries(environment.urls)
                .map(
                  ([service, url]) =>
                    `<li><a href="${escapeHtml(url)}">${escapeHtml(url)}</a> (${escapeHtml(service)})</li>`,
                )
                .join('') +
              '</ul>',
          )
          .join('\n');
  return htmlPage(
    404,
    'Unknown host',
    `<h1>No service at <code>${escapeHtml(host || '(no Host header)')}</code></h1>\n${list}`,
    REFRESH_SECONDS,
  );
}

/** The headers of a page the router answers itself, in either lane. */
export function pageHeaders(page: RouterPage, requestId: string): Record<string, string> {
  return {
    'content-type': page.contentType,
    'cache-control': 'no-store',
    'x-request-id': requestId,
    ...(page.refreshSeconds === undefined ? {} : { refresh: String(page.refreshSeconds) }),
  };
}

/** Clients that ask for JSON (`Accept: application/json`, and not HTML first) get JSON. */
export function wantsJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const json = accept.indexOf('application/json');
  if (json === -1) return false;
  const html = accept.indexOf('text/html');
  return html === -1 || json < html;
}

/** A JSON answer (exported for the preview gateway's pages). */
export function jsonPage(status: number, body: unknown): RouterPage {
  return { status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(body)}\n` };
}

/** An HTML page in the router's style; reloads itself when `refreshSeconds` is given (exported for the gateway). */
export function htmlPage(status: number, title: string, main: string, refreshSeconds?: number): RouterPage {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
${refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${refreshSeconds}">`}
<title>${escapeHtml(title)} · devenv</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}pre{background:#111;color:#eee;padding:1rem;overflow:auto}.hint{color:#666}</style>
</head><body>
${main}
</body></html>
`;
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body,
    ...(refreshSeconds === undefined ? {} : { refreshSeconds }),
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
