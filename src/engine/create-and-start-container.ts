import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { type ContainerEntity, containerShape } from './container-entity.js';
import { containerSpecFor } from './container-spec-for.js';
import { imageVolumes } from './image-volumes.js';

/**
 * Creates and starts the container of one dependency or container service, and returns its id. The
 * image's config says what the restarter runs (a service that file changes restart) and which VOLUME
 * paths need a named volume of the environment, created here before the container mounts it.
 */
export async function createAndStartContainer(
  runtime: ContainerRuntime,
  environment: ResolvedEnvironment,
  entity: ContainerEntity,
): Promise<string> {
  const image = await runtime.imageConfig(containerShape(entity).image);
  for (const volume of imageVolumes(environment, entity, image?.volumes ?? [])) {
    await runtime.ensureVolume(volume.volumeName, volume.labels);
  }
  const created = await runtime.createContainer(containerSpecFor(environment, entity, image));
  await runtime.startContainer(created.id);
  return created.id;
}
