import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { mapDockerError } from '../runtime/docker/map-docker-error.js';
import { engineUnreachableError } from '../runtime/runtime-errors.js';

/** testcontainers' client for the engine (DOCKER_HOST, ~/.testcontainers.properties), or ENGINE_UNREACHABLE. */
export async function engineClient(): Promise<ContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    throw engineUnreachableError(
      engineEndpoint(),
      'testcontainers found no working container runtime',
      error,
    );
  }
}

/** Where the engine is, for messages. */
export function engineEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

// The adapter's own reading of dockerode's errors (testcontainers' client is dockerode); it imports no dockerode.
export { engineMessage, statusCode } from '../runtime/docker/map-docker-error.js';

/** A failed engine call as devenv's typed error (unreachable, no permission, ENGINE_ERROR), naming the action. */
export function engineFailure(action: string, error: unknown): Error {
  return mapDockerError(error, { action, endpoint: engineEndpoint() });
}
