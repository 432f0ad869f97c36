import { imageVolumes } from '../engine/image-volumes.js';
import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedVolume } from '../model/resolved-entity.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { Labels } from '../runtime/container-spec.js';

/** A volume holding a dependency's data, with the labels `up` creates it with. */
export interface DataVolume extends ResolvedVolume {
  /**
   * The engine refuses to adopt an existing volume whose labels differ, so a volume filled before the
   * dependency first starts must carry exactly what `up` would give it.
   */
  labels: Labels;
  /** True for a volume devenv names for a VOLUME path of the image, false for one of `volumes:`. */
  fromImage: boolean;
}

/**
 * Pure: every volume that holds `dependency`'s data in `environment`: its own `volumes:` (labelled like
 * the environment's other volumes, as the executor creates them), then one per VOLUME path of its image
 * (`imagePaths`, from the image's config) that those do not cover, named and labelled by `imageVolumes`
 * exactly as `createAndStartContainer` creates them. A plain `image: postgres:17` keeps its whole
 * database in the latter.
 */
export function dependencyDataVolumes(
  environment: ResolvedEnvironment,
  dependency: ResolvedDependency,
  imagePaths: readonly string[],
): DataVolume[] {
  return [
    ...dependency.volumes.map((volume) => ({ ...volume, labels: environment.labels, fromImage: false })),
    ...imageVolumes(environment, dependency, imagePaths).map((volume) => ({ ...volume, fromImage: true })),
  ];
}
