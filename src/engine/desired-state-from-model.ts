import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { DesiredState } from '../reconcile/desired-state.js';
import { containerEntities, containerShape } from './container-entity.js';

/**
 * The part of the resolved model that lives on the engine: the network, the named volumes and one
 * container per dependency and per container service. Local-process services are not here: the
 * supervisor runs them after this part is ready. `fingerprints`: each `build:` service's build context
 * as it is now, so a container built from an older state is recreated.
 */
export function desiredStateFromModel(
  environment: ResolvedEnvironment,
  fingerprints: ReadonlyMap<string, string> = new Map(),
): DesiredState {
  const entities = containerEntities(environment);
  const names = new Set(entities.map((entity) => entity.name));
  return {
    network: environment.network,
    volumes: entities.flatMap((entity) => containerShape(entity).volumes.map((volume) => volume.volumeName)),
    containers: entities.map((entity) => ({
      name: entity.name,
      configHash: entity.configHash,
      buildFingerprint: fingerprints.get(entity.name),
      // Only engine-side prerequisites order container work; processes start after all of it.
      dependsOn: entity.dependsOn.map((edge) => edge.name).filter((name) => names.has(name)),
    })),
  };
}
