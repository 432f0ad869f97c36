import type { ResourceState } from '../events/resource-state.js';

/** Every service listens on this machine's loopback: where the router connects to its port. */
export const UPSTREAM_HOST = '127.0.0.1';

/** One service as a supervisor publishes it to the router. Plain data: it crosses the router's socket. */
export interface RouteTarget {
  service: string;
  /** The host name the router answers for it, from `serviceHost` (`api.shop.localhost`). */
  host: string;
  /** Where it listens on this machine; the router connects to 127.0.0.1 on this port. */
  port: number;
  /** From the shared vocabulary: `ready` is proxied, starting states are waited for, the rest get a page. */
  state: ResourceState;
  /** Why it is in that state (exit code, readiness failure), shown on the status page. */
  detail?: string;
  /** The last lines of its output, shown on the status page when it crashed or failed. */
  lastLines?: readonly string[];
}

/** Which environment a set of routes belongs to. */
export interface EnvironmentKey {
  project: string;
  env: string;
}

/** An environment's routes as the router holds them: everything the route table is computed from. */
export interface PublishedEnvironment extends EnvironmentKey {
  routes: readonly RouteTarget[];
}

/** `<project>/<env>`: unique per machine, because one supervisor runs each environment. */
export function environmentKeyString(key: EnvironmentKey): string {
  return `${key.project}/${key.env}`;
}
