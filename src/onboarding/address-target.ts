import { addDependencyPort, type ComposeEntity, isSubstitute, setServicePort } from './compose-entity.js';
import type { AddressTarget } from './rewrite-addresses.js';

/**
 * An entity as env values of other services may name it: its Compose hostname, the URLs that equal its
 * `${name.url}`, and how to refer to one of its container ports (declaring the port where it can).
 */
export function addressTarget(entity: ComposeEntity): AddressTarget {
  const urls: string[] = [];
  const preset = entity.preset;
  if (preset) {
    const template = preset.outputs.url;
    const text = typeof template === 'string' ? template : template?.network;
    const env = new Map([
      ...Object.entries(preset.env ?? {}).map(([k, v]) => [k, String(v)] as const),
      ...entity.env,
    ]);
    const filled = text && fillOutput(text, entity.compose, entity.ports, env);
    if (filled) {
      urls.push(filled);
      if (filled.startsWith('postgres://')) urls.push(filled.replace('postgres://', 'postgresql://'));
    }
  } else if (entity.section === 'services' && typeof entity.spec.port === 'number') {
    urls.push(`http://${entity.compose}:${entity.spec.port}`);
  }
  return {
    host: entity.compose,
    name: entity.name,
    urls,
    brokers: preset?.outputs.brokers !== undefined,
    portRef: (container) => {
      if (entity.section === 'services') {
        if (entity.spec.port === undefined && entity.spec.run === undefined)
          setServicePort(entity, container);
        return entity.spec.port === container ? `\${${entity.name}.port}` : undefined;
      }
      const found = entity.ports.find((p) => p.container === container);
      if (isSubstitute(entity) && !found) return undefined;
      const name = found?.name ?? addDependencyPort(entity, container);
      return entity.ports[0]?.name === name ? `\${${entity.name}.port}` : `\${${entity.name}.ports.${name}}`;
    },
  };
}

/** A preset output template as the Compose service's own URL would read (its host, container port, env). */
function fillOutput(
  template: string,
  host: string,
  ports: readonly { name: string; container: number }[],
  env: ReadonlyMap<string, string>,
): string | undefined {
  let missing = false;
  const filled = template.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
    let value: string | number | undefined;
    if (key === 'host') value = host;
    else if (key === 'port') value = ports[0]?.container;
    else if (key.startsWith('ports.')) value = ports.find((p) => p.name === key.slice(6))?.container;
    else if (key.startsWith('env.')) value = env.get(key.slice(4));
    if (value === undefined) missing = true;
    return String(value ?? '');
  });
  return missing ? undefined : filled;
}
