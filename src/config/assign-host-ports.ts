import type { HostPortOverrides, ResolvedPort } from '../model/resolved-port.js';
import { derivedHostPort, nextDerivedPort } from './derived-host-port.js';

/** A port some entity publishes; `container: undefined` is a local process on `port: auto`. */
export interface PortRequest {
  entity: string;
  name: string;
  container: number | undefined;
  fixedHost: number | undefined;
  protocol: 'tcp' | 'udp';
}

/**
 * Decides every host port of an environment, in three passes so results do not depend on file order:
 * fixed ports (from the file), then the engine's overrides, then derived ports, which step over any
 * port already taken so one environment never publishes the same host port twice. `exact` ports come
 * before all of them, fixed ones included: `devenv/testing` runs throwaway containers on free ports
 * of its own, beside a running `devenv up` that holds the fixed ones.
 */
export function assignHostPorts(
  requests: readonly PortRequest[],
  {
    project,
    env,
    overrides = {},
    exact = {},
  }: {
    project: string;
    env: string;
    overrides?: HostPortOverrides | undefined;
    exact?: HostPortOverrides | undefined;
  },
): Map<string, ResolvedPort[]> {
  const taken = new Set<number>();
  const decided = new Map<PortRequest, Pick<ResolvedPort, 'host' | 'hostSource'>>();
  for (const request of requests) {
    const given = exact[request.entity]?.[request.name];
    if (given !== undefined) {
      decided.set(request, { host: given, hostSource: 'override' });
      taken.add(given);
    }
  }
  for (const request of requests) {
    if (!decided.has(request) && request.fixedHost !== undefined) {
      decided.set(request, { host: request.fixedHost, hostSource: 'fixed' });
      taken.add(request.fixedHost);
    }
  }
  for (const request of requests) {
    const override = overrides[request.entity]?.[request.name];
    if (!decided.has(request) && override !== undefined) {
      decided.set(request, { host: override, hostSource: 'override' });
      taken.add(override);
    }
  }
  const pending = requests.filter((request) => !decided.has(request));
  pending.sort((a, b) => key(a).localeCompare(key(b)));
  for (const request of pending) {
    let host = derivedHostPort(project, env, request.entity, request.container ?? 0);
    while (taken.has(host)) host = nextDerivedPort(host);
    taken.add(host);
    decided.set(request, { host, hostSource: 'derived' });
  }

  const byEntity = new Map<string, ResolvedPort[]>();
  for (const request of requests) {
    const { host, hostSource } = decided.get(request) ?? { host: 0, hostSource: 'derived' };
    const ports = byEntity.get(request.entity) ?? [];
    ports.push({
      name: request.name,
      container: request.container ?? host,
      host,
      hostSource,
      protocol: request.protocol,
    });
    byEntity.set(request.entity, ports);
  }
  return byEntity;
}

function key(request: PortRequest): string {
  return `${request.entity}\0${request.name}`;
}
