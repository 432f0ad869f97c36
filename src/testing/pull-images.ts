import { type ContainerRuntimeClient, ImageName } from 'testcontainers';
import {
  imageNotFoundError,
  REGISTRY_UNREACHABLE,
  registryUnreachableError,
} from '../runtime/runtime-errors.js';
import { engineFailure, engineMessage, statusCode } from './engine-client.js';

/**
 * Pulls the images that are not on the engine yet, all at once, through the engine (so its mirrors
 * apply; images are never addressed by registry host). testcontainers does not read the pull's
 * progress stream, where a registry's "not found" arrives, so the image is looked up afterwards.
 */
export async function pullImages(client: ContainerRuntimeClient, images: readonly string[]): Promise<void> {
  const results = await Promise.allSettled([...new Set(images)].map((image) => pullImage(client, image)));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

async function pullImage(client: ContainerRuntimeClient, image: string): Promise<void> {
  const name = ImageName.fromString(image);
  try {
    await client.image.pull(name);
  } catch (error) {
    const status = statusCode(error);
    if (status === 404) throw imageNotFoundError(image, await mirrors(client), error);
    if (status === 500 && REGISTRY_UNREACHABLE.test(engineMessage(error))) {
      // With mirrors, the engine asks the reference's own registry only after every mirror said "not found".
      const found = await mirrors(client);
      throw found.length > 0
        ? imageNotFoundError(image, found, error, engineMessage(error))
        : registryUnreachableError(image, engineMessage(error), error);
    }
    throw engineFailure(`pull ${image}`, error);
  }
  if (!(await client.image.exists(name))) throw imageNotFoundError(image, await mirrors(client));
}

/** The engine's registry mirrors, which only decorate the message of a missing image. */
async function mirrors(client: ContainerRuntimeClient): Promise<readonly string[]> {
  try {
    const info = (await client.container.dockerode.info()) as { RegistryConfig?: { Mirrors?: string[] } };
    return info.RegistryConfig?.Mirrors ?? [];
  } catch {
    // Losing the mirrors loses a detail of the error being reported, not a failure.
    return [];
  }
}
