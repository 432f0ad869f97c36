import type { ResourceState } from '../events/resource-state.js';
import { environmentKeyString, type PublishedEnvironment, type RouteTarget } from './route-target.js';

/** A host the router answers, and whose service it is. */
export interface Route {
  environment: PublishedEnvironment;
  target: RouteTarget;
}

/** Everything the router routes: a pure function of the published environments. */
export interface RouteTable {
  byHost: ReadonlyMap<string, Route>;
  /** Sorted by key, for the unknown-host page and `routes`. */
  environments: readonly PublishedEnvironment[];
  /** Hosts claimed by more than one environment (two checkouts with one project name): first key wins. */
  conflicts: readonly string[];
}

/**
 * Builds the table. Environments are taken in key order, so the winner of a host conflict does not
 * depend on who published first; hosts are compared lowercase, as DNS does.
 */
export function buildRouteTable(environments: Iterable<PublishedEnvironment>): RouteTable {
  const sorted = [...environments].sort((a, b) =>
    environmentKeyString(a).localeCompare(environmentKeyString(b)),
  );
  const byHost = new Map<string, Route>();
  const conflicts: string[] = [];
  for (const environment of sorted) {
    for (const target of environment.routes) {
      const host = target.host.toLowerCase();
      const holder = byHost.get(host);
      if (holder === undefined) byHost.set(host, { environment, target });
      else
        conflicts.push(
          `${host}: ${environmentKeyString(environment)} loses to ${environmentKeyString(holder.environment)}`,
        );
    }
  }
  return { byHost, environments: sorted, conflicts };
}

/** What to do with a request, decided from the table alone. */
export type HostResolution =
  /** `ready`: proxy to its port. */
  | { kind: 'proxy'; route: Route }
  /** Coming up (`pending`, `pulling`, `building`, `starting`, `restarting`): hold the request. */
  | { kind: 'wait'; route: Route }
  /** `crashed`, `failed`, `stopped`: answer with the status page. */
  | { kind: 'down'; route: Route }
  | { kind: 'unknown'; host: string };

const WAIT_STATES: ReadonlySet<ResourceState> = new Set([
  'pending',
  'pulling',
  'building',
  'starting',
  'restarting',
]);

export function resolveHost(table: RouteTable, host: string): HostResolution {
  const route = table.byHost.get(host);
  if (route === undefined) return { kind: 'unknown', host };
  if (route.target.state === 'ready') return { kind: 'proxy', route };
  return WAIT_STATES.has(route.target.state) ? { kind: 'wait', route } : { kind: 'down', route };
}

/**
 * The host name of a `Host` header: lowercase, without the port or a trailing dot. Brackets of an IPv6
 * literal are kept (it never names a service anyway).
 */
export function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  const withoutPort = header.startsWith('[')
    ? header.slice(0, header.indexOf(']') + 1)
    : header.split(':')[0];
  return (withoutPort ?? '').toLowerCase().replace(/\.$/, '');
}
