import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { type ContainerEntity, containerShape } from './container-entity.js';
import { containerSpecFor } from './container-spec-for.js';
import { restartsInPlace } from './restart-in-place.js';

/**
 * Creates and starts the container of one dependency or container service, and returns its id. A
 * service that file changes restart runs under the restarter, which needs the image's command.
 */
export async function createAndStartContainer(
  runtime: ContainerRuntime,
  environment: ResolvedEnvironment,
  entity: ContainerEntity,
): Promise<string> {
  const image = restartsInPlace(entity)
    ? await runtime.imageCommand(containerShape(entity).image)
    : undefined;
  const created = await runtime.createContainer(containerSpecFor(environment, entity, image));
  await runtime.startContainer(created.id);
  return created.id;
}
