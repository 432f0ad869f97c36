import { addDependencyPort, type ComposeEntity, isSubstitute, setServicePort } from './compose-entity.js';
import { info, type OnboardingNote } from './onboarding-note.js';
import type { ComposeFile } from './parse-compose-file.js';
import { parsePort } from './parse-port.js';
import type { ServiceContext } from './service-context.js';

interface DeclaredPort {
  container: number;
  udp: boolean;
  name?: string;
}

/**
 * `ports:` and `expose:` → a service's one `port:`, or a dependency's named `ports:` (beside its preset's).
 * Published host ports are collected in `hostPorts`: devenv does not pin them (see `noteHostPorts`).
 */
export function convertPorts(
  context: ServiceContext,
  entity: ComposeEntity,
  service: Record<string, unknown>,
  hostPorts: string[],
): void {
  const declared: DeclaredPort[] = [];
  for (const entry of Array.isArray(service.ports) ? service.ports : []) {
    const parsed = parsePort(typeof entry === 'string' ? context.resolve(entry) : entry);
    if (!parsed.ok) {
      context.warn('ports', `${parsed.problem}; left out`);
      continue;
    }
    const port = parsed.value;
    const host = port.host ?? port.hostRange;
    if (host !== undefined) hostPorts.push(`${host} (${context.service})`);
    declared.push({
      container: port.container,
      udp: port.protocol === 'udp',
      ...(port.name ? { name: port.name } : {}),
    });
  }
  for (const entry of Array.isArray(service.expose) ? service.expose : []) {
    const port = Number(String(entry).split('/')[0]);
    if (Number.isInteger(port) && port > 0 && port < 65536)
      declared.push({ container: port, udp: String(entry).endsWith('/udp') });
    else context.warn('expose', `\`${String(entry)}\` is not a port; left out`);
  }
  const seen = new Set<number>();
  for (const port of declared) {
    if (seen.has(port.container)) continue;
    seen.add(port.container);
    if (entity.section === 'services') {
      if (entity.spec.port === undefined && !port.udp) setServicePort(entity, port.container);
      else
        context.warn(
          'ports',
          `${port.container}${port.udp ? '/udp' : ''}: a devenv service has one port (its URL); this one is reachable from other containers only`,
        );
      continue;
    }
    if (entity.ports.some((p) => p.container === port.container)) continue;
    if (isSubstitute(entity)) {
      context.warn(
        'ports',
        `${port.container}: the ${entity.match?.preset} preset does not serve it; left out`,
      );
      continue;
    }
    addDependencyPort(entity, port.container, port.udp, port.name);
  }
}

export function noteHostPorts(
  compose: ComposeFile,
  hostPorts: readonly string[],
  notes: OnboardingNote[],
): void {
  if (hostPorts.length > 0)
    notes.push(
      info(
        `${compose.file}: ports`,
        `published host ports ${hostPorts.join(', ')} are not pinned: devenv derives a stable free port per environment (\`devenv env\`, \`devenv urls\`); write \`{container, host}\` to pin one`,
      ),
    );
}
