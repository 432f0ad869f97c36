import type { PreviewRecord } from '../preview/preview-contract.js';
import { escapeHtml, htmlPage, jsonPage, type RouterPage } from '../router/router-page.js';
import type { DeniedReason } from './gateway-access.js';
import type { GatewayPreview } from './gateway-previews.js';

/** `http://<host>[:port]`, the port taken from the domain the record's hosts were computed with. */
export function previewServiceUrl(record: PreviewRecord, host: string): string {
  const port = /:(\d+)$/.exec(record.domain)?.[1];
  return `http://${host}${port === undefined || port === '80' ? '' : `:${port}`}`;
}

/**
 * A private preview without (valid) access: 401, saying how to get a link, and (for a preview with
 * basic credentials) that signing in works too.
 */
export function accessDeniedPage(record: PreviewRecord, reason: DeniedReason, json: boolean): RouterPage {
  const basic = record.basicAuth !== undefined;
  const why = {
    missing: basic ? 'This preview asks for a user name and password.' : 'This preview is private.',
    invalid: 'This link is not valid (it was altered, or is for another preview).',
    expired: 'This link has expired.',
    credentials: 'The user name or password is not right.',
  }[reason];
  const command = `devenv preview share --branch ${record.branch}`;
  if (json)
    return jsonPage(401, {
      error:
        reason === 'missing'
          ? 'preview-private'
          : reason === 'credentials'
            ? 'credentials-invalid'
            : `token-${reason}`,
      message: why,
      hint:
        `Get a link with \`${command}\`, or send its token in the X-Devenv-Preview-Token header` +
        (basic ? ", or send the preview's basic credentials (Authorization: Basic)." : '.'),
    });
  return htmlPage(
    401,
    'Private preview',
    [
      `<h1>${escapeHtml(why)}</h1>`,
      basic
        ? '<p>Sign in with the user name and password of this preview (reload to be asked again), or ' +
          'ask someone with access to the repository for a share link; they get one with</p>'
        : '<p>Previews are private unless their devenv.yaml says <code>access: public</code>. ' +
          'Ask someone with access to the repository for a share link; they get one with</p>',
      `<pre>${escapeHtml(command)}</pre>`,
      '<p class="hint">Opening the link once lets this browser in until the link expires.</p>',
    ].join('\n'),
  );
}

/**
 * A host under a project's preview domain with no preview (deleted, expired and collected, or never
 * created): says so and lists the project's existing previews.
 */
export function deletedPreviewPage(
  host: string,
  project: string,
  previews: readonly GatewayPreview[],
  json: boolean,
): RouterPage {
  const existing = previews.map((preview) => ({
    branch: preview.record.branch,
    urls: Object.fromEntries(
      preview.record.services.map(({ service, host: serviceHost }) => [
        service,
        previewServiceUrl(preview.record, serviceHost),
      ]),
    ),
  }));
  if (json) return jsonPage(404, { error: 'preview-deleted', host, project, previews: existing });
  const list =
    existing.length === 0
      ? `<p>Project <code>${escapeHtml(project)}</code> has no preview now.</p>`
      : `<p>Previews of <code>${escapeHtml(project)}</code>:</p><ul>${existing
          .map(
            ({ branch, urls }) =>
              `<li><code>${escapeHtml(branch)}</code>: ${Object.entries(urls)
                .map(([service, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(service)}</a>`)
                .join(', ')}</li>`,
          )
          .join('')}</ul>`;
  return htmlPage(
    404,
    'Preview deleted',
    `<h1>No preview at <code>${escapeHtml(host)}</code></h1>\n<p>It was deleted or has expired.</p>\n${list}`,
  );
}

/** A host no preview and no known project claims. Lists nothing: the gateway faces the internet. */
export function noPreviewPage(host: string, json: boolean): RouterPage {
  if (json) return jsonPage(404, { error: 'unknown-host', host });
  return htmlPage(
    404,
    'Unknown host',
    `<h1>No preview at <code>${escapeHtml(host || '(no Host header)')}</code></h1>`,
  );
}

/** `/.devenv/status`: the preview's identity, expiry and each service's state. */
export function statusPage(preview: GatewayPreview): RouterPage {
  const { record } = preview;
  return jsonPage(200, {
    id: record.id,
    project: record.project,
    branch: record.branch,
    commit: record.commit ?? null,
    created: record.created.toISOString(),
    updated: record.updated.toISOString(),
    expires: record.expires.toISOString(),
    access: record.access,
    asleep: preview.asleep,
    services: preview.services.map((service) => ({
      service: service.service,
      url: previewServiceUrl(record, service.host),
      state: service.state,
      health: service.health,
      ...(service.detail === undefined ? {} : { detail: service.detail }),
    })),
  });
}

/** The 303 a valid share link answers with (the browser follows `Location`). */
export const seeOtherPage: RouterPage = {
  status: 303,
  contentType: 'text/plain; charset=utf-8',
  body: 'See Other\n',
};
