import type { ObservedState } from '../reconcile/desired-state.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel, type LabelFilter } from '../runtime/container-spec.js';
import type { ObservedContainer } from '../runtime/observed-state.js';

/** Everything of one environment carries both labels; other environments and projects never match. */
export function environmentFilter(project: string, env: string): LabelFilter {
  return { [DevenvLabel.project]: project, [DevenvLabel.env]: env };
}

/** Snapshot of the engine for reconcile, found by labels only (never by name patterns). */
export async function observeEnvironment(
  runtime: ContainerRuntime,
  project: string,
  env: string,
): Promise<{ state: ObservedState; containers: ObservedContainer[] }> {
  const filter = environmentFilter(project, env);
  const [containers, networks, volumes] = await Promise.all([
    runtime.listContainers(filter),
    runtime.listNetworks(filter),
    runtime.listVolumes(filter),
  ]);
  return {
    containers,
    state: {
      networks: networks.map((network) => ({ id: network.id, name: network.name })),
      volumes: volumes.map((volume) => ({ name: volume.name })),
      containers: containers.map((container) => ({
        id: container.id,
        name: container.labels[DevenvLabel.name] ?? container.name,
        configHash: container.labels[DevenvLabel.configHash] ?? '',
        buildFingerprint: container.labels[DevenvLabel.buildFingerprint],
        running: container.state === 'running' || container.state === 'restarting',
        createdAt: container.createdAt.getTime(),
      })),
    },
  };
}
