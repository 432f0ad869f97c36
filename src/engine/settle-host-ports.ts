import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { ObservedContainer } from '../runtime/observed-state.js';
import { portBusyError } from '../runtime/runtime-errors.js';
import { containerEntities } from './container-entity.js';

/** The host-side checks, injected so the decision below is testable without sockets. */
export interface HostPorts {
  isFree(port: number): Promise<boolean>;
  /** A free port chosen by the OS. */
  pickFree(): Promise<number>;
  /** Who holds a port, as a phrase ("postgres (pid 812)"), when it can be found. */
  describeHolder(port: number): Promise<string | undefined>;
}

/**
 * Makes every published host port usable before anything starts. A port our own container of that
 * name already publishes is fine. A busy port the file fixed is an error naming the holder; a busy
 * derived one is replaced by a free port that is remembered (returned as overrides) so it stays the
 * same on the next `up`.
 */
export async function settleHostPorts(
  environment: ResolvedEnvironment,
  ownContainers: readonly ObservedContainer[],
  overrides: HostPortOverrides,
  hostPorts: HostPorts,
): Promise<{ overrides: HostPortOverrides; changed: boolean }> {
  const next: Record<string, Record<string, number>> = Object.fromEntries(
    Object.entries(overrides).map(([entity, ports]) => [entity, { ...ports }]),
  );
  let changed = false;
  for (const dependency of containerEntities(environment)) {
    const own = ownContainers.filter((container) => container.labels[DevenvLabel.name] === dependency.name);
    for (const port of dependency.ports) {
      if (own.some((container) => container.ports.some((bound) => bound.host === port.host))) continue;
      if (await hostPorts.isFree(port.host)) continue;
      if (port.hostSource === 'fixed') {
        throw portBusyError(port.host, await hostPorts.describeHolder(port.host));
      }
      next[dependency.name] = { ...next[dependency.name], [port.name]: await hostPorts.pickFree() };
      changed = true;
    }
  }
  return { overrides: next, changed };
}
