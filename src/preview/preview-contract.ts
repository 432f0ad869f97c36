import {
  branchEnvironmentName,
  previewEnvironmentName as namingPreviewEnvironmentName,
} from '../naming/environment-name.js';
import { serviceHostLabel } from '../naming/service-host.js';
import { isBasicCredentialsHash } from './basic-auth.js';

/**
 * The contract between `devenv preview …` (which creates previews on a preview host's engine) and
 * `devenv serve` (the gateway that routes to them). Everything the gateway knows about a preview comes
 * from engine labels defined here, so restarting the gateway loses nothing.
 *
 * - Every resource of a preview (containers, network, volumes) carries `devenv.project`, `devenv.env`
 *   (= `previewEnvironmentName(branch)`) and `devenv.preview` (= `previewId(project, branch)`).
 * - A preview's metadata lives in its **record**: a small engine volume labelled
 *   `devenv.preview.record=1` plus the `PREVIEW_RECORD_LABELS`. Labels cannot change, so an update
 *   (`preview up` again, `preview extend`) creates a new record and removes the old one; readers take
 *   the record with the newest `updated` per preview id.
 * - Every service container that serves HTTP carries `devenv.preview.host` (its full host name) and
 *   `devenv.preview.port` (the container port), and publishes that port on 127.0.0.1 with an
 *   engine-chosen host port. The gateway proxies a host to the *oldest running* container carrying it,
 *   so a replacement started next to the old one takes traffic only once the old one is removed (which
 *   `preview up` does after the new one is ready).
 */

/** Label keys on every resource of a preview. */
export const PREVIEW_LABEL = 'devenv.preview';
/** Label on the record volume (value `1`). */
export const PREVIEW_RECORD_LABEL = 'devenv.preview.record';
/** Labels on HTTP service containers of a preview. */
export const PREVIEW_HOST_LABEL = 'devenv.preview.host';
export const PREVIEW_PORT_LABEL = 'devenv.preview.port';

/** Keys of the record volume's labels (besides `devenv.project`, `devenv.env`, `devenv.preview`). */
export const PREVIEW_RECORD_LABELS = {
  branch: 'devenv.preview.branch',
  commit: 'devenv.preview.commit',
  /** ISO 8601. */
  created: 'devenv.preview.created',
  /** ISO 8601; the newest record per preview wins. */
  updated: 'devenv.preview.updated',
  /** ISO 8601; `preview gc` (and the gateway, periodically) removes previews past it. */
  expires: 'devenv.preview.expires',
  /** `public` or `private`. */
  access: 'devenv.preview.access',
  /**
   * Optional, on private previews with `access: basic`: `scrypt$<salt>$<hash>` of `user:password`
   * (see basic-auth.ts), never the password. The gateway then also accepts those basic credentials.
   */
  basicAuth: 'devenv.preview.basic-auth',
  /** Per-preview secret (base64url, 32 random bytes): signs share links; never logged. */
  secret: 'devenv.preview.secret',
  /** JSON array of path prefixes served without a token (webhooks), e.g. `["/webhooks/"]`. */
  publicPaths: 'devenv.preview.public-paths',
  /** Base domain the hosts were computed with, e.g. `preview.localhost:8080` (port optional). */
  domain: 'devenv.preview.domain',
  /** Minutes without requests before the gateway stops the preview's services; `0` = never. */
  idleSleepMinutes: 'devenv.preview.idle-sleep-minutes',
  /** JSON array of `{ "service": "api", "host": "api--feat-x-1a2b3c4d.shop.preview.localhost" }`. */
  services: 'devenv.preview.services',
  /**
   * `pending` from a new preview's first record until its first deploy has finished (snapshot restored,
   * services ready, seed run); absent after. A `preview up` that finds it pending sets it up again.
   */
  setup: 'devenv.preview.setup',
} as const;

/** A preview's metadata as read back from its record's labels. */
export interface PreviewRecord {
  id: string;
  project: string;
  env: string;
  branch: string;
  commit: string | undefined;
  created: Date;
  updated: Date;
  expires: Date;
  access: 'public' | 'private';
  /** Salted hash of the basic credentials a private preview also accepts; absent without `access: basic`. */
  basicAuth?: string | undefined;
  secret: string;
  publicPaths: readonly string[];
  domain: string;
  idleSleepMinutes: number;
  services: readonly { service: string; host: string }[];
  /** True until the preview's first deploy has finished (see `PREVIEW_RECORD_LABELS.setup`). */
  setupPending?: boolean;
}

/** Default base domain when neither devenv.yaml (`preview.domain`) nor `DEVENV_PREVIEW_DOMAIN` names one. */
// With the port `devenv serve` listens on by default, so that a preview created with the defaults is
// reachable through a gateway started with the defaults on the same machine.
export const DEFAULT_PREVIEW_DOMAIN = 'preview.localhost:8080';

/**
 * The engine environment name of a branch's preview: distinct from the same branch's local
 * environment (`devenv up --branch`), so both can run on one engine without sharing a container.
 */
export function previewEnvironmentName(branch: string): string {
  return namingPreviewEnvironmentName(branch);
}

/** `<branch-slug>-<hash>.<project>`: unique per project and branch, readable in `docker ps`. */
export function previewId(project: string, branch: string): string {
  return `${branchEnvironmentName(branch)}.${project}`;
}

/**
 * `<service>--<branch-slug>-<hash>.<project>.<domain-without-port>`: the same first label as the local
 * router's branch hosts (one naming scheme), known before anything is deployed.
 */
export function previewHost(project: string, branch: string, service: string, domain: string): string {
  return `${serviceHostLabel(service, branch)}.${project}.${domainHostPart(domain)}`;
}

/** `http://<previewHost>[:port]`, the port taken from `domain` when it carries one. */
export function previewUrl(project: string, branch: string, service: string, domain: string): string {
  const port = domainPort(domain);
  return `http://${previewHost(project, branch, service, domain)}${port === undefined ? '' : `:${port}`}`;
}

function domainHostPart(domain: string): string {
  return domain.replace(/:\d+$/, '').toLowerCase();
}

function domainPort(domain: string): number | undefined {
  const match = /:(\d+)$/.exec(domain);
  if (match?.[1] === undefined) return undefined;
  const port = Number(match[1]);
  return port === 80 ? undefined : port;
}

/** The record's labels for `record`. */
export function recordLabels(record: PreviewRecord): Record<string, string> {
  return {
    'devenv.project': record.project,
    'devenv.env': record.env,
    [PREVIEW_LABEL]: record.id,
    [PREVIEW_RECORD_LABEL]: '1',
    [PREVIEW_RECORD_LABELS.branch]: record.branch,
    ...(record.commit === undefined ? {} : { [PREVIEW_RECORD_LABELS.commit]: record.commit }),
    [PREVIEW_RECORD_LABELS.created]: record.created.toISOString(),
    [PREVIEW_RECORD_LABELS.updated]: record.updated.toISOString(),
    [PREVIEW_RECORD_LABELS.expires]: record.expires.toISOString(),
    [PREVIEW_RECORD_LABELS.access]: record.access,
    ...(record.basicAuth === undefined ? {} : { [PREVIEW_RECORD_LABELS.basicAuth]: record.basicAuth }),
    [PREVIEW_RECORD_LABELS.secret]: record.secret,
    [PREVIEW_RECORD_LABELS.publicPaths]: JSON.stringify(record.publicPaths),
    [PREVIEW_RECORD_LABELS.domain]: record.domain,
    [PREVIEW_RECORD_LABELS.idleSleepMinutes]: String(record.idleSleepMinutes),
    [PREVIEW_RECORD_LABELS.services]: JSON.stringify(record.services),
    ...(record.setupPending === true ? { [PREVIEW_RECORD_LABELS.setup]: 'pending' } : {}),
  };
}

/** Reads a record back from its labels; `undefined` when they are not a complete, valid record. */
export function parseRecordLabels(labels: Readonly<Record<string, string>>): PreviewRecord | undefined {
  const get = (key: string): string | undefined => labels[key];
  const id = get(PREVIEW_LABEL);
  const project = get('devenv.project');
  const env = get('devenv.env');
  const branch = get(PREVIEW_RECORD_LABELS.branch);
  const secret = get(PREVIEW_RECORD_LABELS.secret);
  const domain = get(PREVIEW_RECORD_LABELS.domain);
  const created = parseDate(get(PREVIEW_RECORD_LABELS.created));
  const updated = parseDate(get(PREVIEW_RECORD_LABELS.updated));
  const expires = parseDate(get(PREVIEW_RECORD_LABELS.expires));
  const access = get(PREVIEW_RECORD_LABELS.access);
  if (get(PREVIEW_RECORD_LABEL) !== '1') return undefined;
  if (id === undefined || project === undefined || env === undefined || branch === undefined)
    return undefined;
  if (secret === undefined || domain === undefined) return undefined;
  if (created === undefined || updated === undefined || expires === undefined) return undefined;
  if (access !== 'public' && access !== 'private') return undefined;
  const publicPaths = parseJson(get(PREVIEW_RECORD_LABELS.publicPaths), isStringArray) ?? [];
  const services = parseJson(get(PREVIEW_RECORD_LABELS.services), isServiceList) ?? [];
  const idle = Number(get(PREVIEW_RECORD_LABELS.idleSleepMinutes) ?? '0');
  // A malformed hash could never verify: the preview stays private with share links only, rather than
  // asking browsers for a password nothing accepts.
  const basicAuth = get(PREVIEW_RECORD_LABELS.basicAuth);
  return {
    id,
    project,
    env,
    branch,
    commit: get(PREVIEW_RECORD_LABELS.commit),
    created,
    updated,
    expires,
    access,
    ...(basicAuth !== undefined && isBasicCredentialsHash(basicAuth) ? { basicAuth } : {}),
    secret,
    publicPaths,
    domain,
    idleSleepMinutes: Number.isFinite(idle) && idle > 0 ? idle : 0,
    services,
    ...(get(PREVIEW_RECORD_LABELS.setup) === 'pending' ? { setupPending: true } : {}),
  };
}

function parseDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseJson<T>(text: string | undefined, guard: (value: unknown) => value is T): T | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return guard(value) ? value : undefined;
  } catch {
    // A malformed label is treated like a missing one: the record's other fields still count.
    return undefined;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isServiceList(value: unknown): value is { service: string; host: string }[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as { service?: unknown }).service === 'string' &&
        typeof (item as { host?: unknown }).host === 'string',
    )
  );
}
