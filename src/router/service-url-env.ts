import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { serviceUrl } from '../naming/service-host.js';

/**
 * Pure: the variables a service's process gets about URLs, under what its own `env:` already sets.
 * - `DEVENV_URL`: its own URL through the router, for links and redirects it renders for the browser.
 * - `<PEER>_URL`: every other service's *direct* address (`http://127.0.0.1:<port>`), for calls
 *   between services: Node's and glibc's resolvers do not resolve `*.localhost`, and going through the
 *   router would only add a hop.
 */
export function serviceUrlEnv(
  environment: ResolvedEnvironment,
  service: string,
  routerPort: number,
): Record<string, string> {
  const env: Record<string, string> = {};
  const own = environment.services.find((candidate) => candidate.name === service);
  if (own?.ports[0] !== undefined)
    env.DEVENV_URL = serviceUrl(environment.project, environment.branch, service, routerPort);
  for (const peer of environment.services) {
    const port = peer.ports[0]?.host;
    if (peer.name === service || port === undefined) continue;
    env[`${peer.name.toUpperCase().replace(/-/g, '_')}_URL`] = `http://127.0.0.1:${port}`;
  }
  const explicit = own?.env.values ?? {};
  return Object.fromEntries(Object.entries(env).filter(([key]) => !Object.hasOwn(explicit, key)));
}
