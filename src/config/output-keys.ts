import type { EffectiveDependency } from './effective-dependency.js';
import type { ServiceConfig } from './schema/service-schema.js';

/**
 * What `${name.key}` may read. Every dependency has `host`, `port` (primary port), `ports.NAME` and
 * `host_ports.NAME` (the host port whoever asks, e.g. for advertised addresses),
 * plus its declared outputs (presets declare `url` and parts); a service with a `port` has `host`,
 * `port` and `url`.
 */
export function dependencyOutputKeys(dependency: EffectiveDependency): string[] {
  const ports = Object.keys(dependency.ports);
  return [
    'host',
    ...(ports.length > 0 ? ['port'] : []),
    ...ports.map((port) => `ports.${port}`),
    ...ports.map((port) => `host_ports.${port}`),
    ...Object.keys(dependency.outputs),
  ];
}

/** `${self.KEY}` in an entity's own env: only what needs no env (host and ports), so it cannot loop. */
export const SELF_KEYS = /^(host|port|ports\.[a-z0-9-]+|host_ports\.[a-z0-9-]+)$/;

export function serviceOutputKeys(service: Pick<ServiceConfig, 'port'>): string[] {
  return service.port === undefined ? ['host'] : ['host', 'port', 'url'];
}
