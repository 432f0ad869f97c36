import { DNS_LABEL_MAX, truncateSlug } from './dns-label.js';
import { branchEnvironmentName } from './environment-name.js';
import { shortHash } from './short-hash.js';

/** The name every service host ends with: browsers and curl resolve `*.localhost` to loopback. */
export const LOCAL_DOMAIN = 'localhost';

/** Between a service and its branch slug: a single hyphen could be part of either name. */
const BRANCH_SEPARATOR = '--';
/** Hex characters of the hash that keeps a shortened label unique. */
const HASH_LENGTH = 8;
/** The shortest branch slug worth showing: below it the label is the service and a hash only. */
const MIN_BRANCH_ROOM = HASH_LENGTH + 1 + 4;

/**
 * The first label of a service's host name: `<service>` in the default environment,
 * `<service>--<branch-slug>-<hash>` in a branch environment, never longer than 63 characters.
 *
 * The branch part is `branchEnvironmentName` with the room the service name leaves, so it is the same
 * slug and hash everywhere (engine names, previews) whenever it fits. A service name so long that
 * hardly any room is left gets `<service, shortened>--<hash of service and branch>`: still unique,
 * because the hash covers both names, and never a silent truncation into another service's label.
 */
export function serviceHostLabel(service: string, branch: string | undefined): string {
  if (branch === undefined) return service;
  const room = DNS_LABEL_MAX - service.length - BRANCH_SEPARATOR.length;
  if (room >= MIN_BRANCH_ROOM) return `${service}${BRANCH_SEPARATOR}${branchEnvironmentName(branch, room)}`;
  const kept = truncateSlug(service, DNS_LABEL_MAX - BRANCH_SEPARATOR.length - HASH_LENGTH);
  return `${kept}${BRANCH_SEPARATOR}${shortHash(`${service}\0${branch}`, HASH_LENGTH)}`;
}

/** `<service>[--<branch>].<project>.localhost`: the host the router answers for a service. */
export function serviceHost(project: string, branch: string | undefined, service: string): string {
  return `${serviceHostLabel(service, branch)}.${project}.${LOCAL_DOMAIN}`;
}

/** The URL a browser opens for a service through the router listening on `routerPort`. */
export function serviceUrl(
  project: string,
  branch: string | undefined,
  service: string,
  routerPort: number,
): string {
  return `http://${serviceHost(project, branch, service)}${routerPort === 80 ? '' : `:${routerPort}`}`;
}
