import { posix } from 'node:path';
import type { ResolvedVolume } from '../model/resolved-entity.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { volumeName } from '../naming/resource-names.js';
import { shortHash } from '../naming/short-hash.js';
import { DevenvLabel, type Labels } from '../runtime/container-spec.js';
import { type ContainerEntity, containerShape } from './container-entity.js';

/** On a volume devenv made for a path the image declares (value: that path). */
export const IMAGE_VOLUME_LABEL = 'devenv.image-volume';

/** A named volume standing in for the anonymous one the engine would make at an image's VOLUME path. */
export interface ImageVolume extends ResolvedVolume {
  labels: Labels;
}

/**
 * Pure: a named volume of the environment for every VOLUME path of the image that the entity's own
 * `volumes:` do not mount. Left to the engine, each path gets an anonymous volume that a recreated
 * container does not get back, so a plain-image database lost its data on every config change and
 * on `down`. Named after a hash of the path, so each container of the entity finds the same volume;
 * labelled like the environment's other volumes, so `down --volumes` and `preview down` remove it.
 */
export function imageVolumes(
  environment: ResolvedEnvironment,
  entity: ContainerEntity,
  declared: readonly string[],
): ImageVolume[] {
  const mounted = new Set(containerShape(entity).volumes.map((volume) => normalise(volume.path)));
  const paths = [...new Set(declared.map(normalise))].filter((path) => !mounted.has(path)).sort();
  return paths.map((path) => {
    const name = `anon-${shortHash(path)}`;
    return {
      name,
      volumeName: volumeName(environment.project, environment.env, entity.name, name),
      path,
      labels: { ...environment.labels, [DevenvLabel.name]: entity.name, [IMAGE_VOLUME_LABEL]: path },
    };
  });
}

// `VOLUME /data/` and `volumes: {data: /data}` are the same mount point to the engine.
function normalise(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}
