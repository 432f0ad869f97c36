import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { serviceHost } from '../naming/service-host.js';
import type { EnvironmentSnapshot } from '../supervisor/environment-snapshot.js';
import type { RouteTarget } from './route-target.js';

/**
 * Pure: the routes a supervisor publishes for its environment, one per service with a port, in the
 * state its snapshot has (`pending` before the service has any).
 */
export function routeTargets(environment: ResolvedEnvironment, snapshot: EnvironmentSnapshot): RouteTarget[] {
  const targets: RouteTarget[] = [];
  for (const service of environment.services) {
    // The host end: a container service's `port` is its container port, which the host cannot reach.
    const port = service.ports[0]?.host;
    if (port === undefined) continue;
    const status = snapshot.resources.find((resource) => resource.name === service.name);
    targets.push({
      service: service.name,
      host: serviceHost(environment.project, environment.branch, service.name),
      port,
      state: status?.state ?? 'pending',
      ...(status?.detail === undefined ? {} : { detail: status.detail }),
      ...(status?.lastLines === undefined ? {} : { lastLines: status.lastLines }),
    });
  }
  return targets;
}
