import type { Preset } from '../config/schema/preset-schema.js';
import type { DependencyDraft, ServiceDraft } from './devenv-draft.js';
import type { PresetMatch } from './match-preset.js';
import type { ServiceContext } from './service-context.js';
import { numberedName } from './unique-name.js';

/** One Compose service on its way into devenv.yaml. */
export interface ComposeEntity {
  compose: string;
  name: string;
  section: 'dependencies' | 'services';
  spec: DependencyDraft & ServiceDraft;
  match?: PresetMatch;
  preset?: Preset;
  /** Ports by name, primary first (dependencies), or the one service port. */
  ports: { name: string; container: number }[];
  env: Map<string, string>;
  hasReady: boolean;
}

/** A devenv service has one port: its URL. */
export function setServicePort(entity: ComposeEntity, container: number): void {
  entity.spec.port = container;
  entity.ports.push({ name: 'port', container });
}

/** A named port of a dependency (`wanted` when it is a valid key, else `port-N`); returns the name. */
export function addDependencyPort(
  entity: ComposeEntity,
  container: number,
  udp = false,
  wanted?: string,
): string {
  const taken = new Set(entity.ports.map((p) => p.name));
  const first = wanted !== undefined && /^[a-z][a-z0-9-]*$/.test(wanted) ? wanted : `port-${container}`;
  const name = numberedName(first, (candidate) => taken.has(candidate), `port-${container}`);
  entity.ports.push({ name, container });
  entity.spec.ports = { ...entity.spec.ports, [name]: udp ? { container, protocol: 'udp' } : container };
  return name;
}

/** Whether the preset runs in place of the Compose image, so settings meant for that image do not carry over. */
export function isSubstitute(entity: ComposeEntity): boolean {
  return entity.match?.kind === 'substitute';
}

export function leaveOutForSubstitute(context: ServiceContext, entity: ComposeEntity, key: string): void {
  context.warn(key, `left out: it configures the replaced image, not the ${entity.match?.preset} preset`);
}
