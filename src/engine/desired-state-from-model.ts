import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { DesiredState } from '../reconcile/desired-state.js';

/**
 * The part of the resolved model that lives on the engine: the network, the named volumes and one
 * container per dependency. (Container services join here when the services engine lands.)
 */
export function desiredStateFromModel(environment: ResolvedEnvironment): DesiredState {
  const names = new Set(environment.dependencies.map((dependency) => dependency.name));
  return {
    network: environment.network,
    volumes: environment.dependencies.flatMap((dependency) =>
      dependency.volumes.map((volume) => volume.volumeName),
    ),
    containers: environment.dependencies.map((dependency) => ({
      name: dependency.name,
      configHash: dependency.configHash,
      // Only engine-side prerequisites order container work; a dependency never waits for a service.
      dependsOn: dependency.dependsOn.map((edge) => edge.name).filter((name) => names.has(name)),
    })),
  };
}
