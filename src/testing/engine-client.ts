import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { engineError, engineUnreachableError } from '../runtime/runtime-errors.js';

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

/** The engine's explanation of a failed call (dockerode keeps the body's `message`), else the error's own. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | undefined)?.json;
  if (typeof json?.message === 'string') return json.message;
  return error instanceof Error ? error.message : String(error);
}

export function statusCode(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A failed engine call as devenv's ENGINE_ERROR, naming what was being done. */
export function engineFailure(action: string, error: unknown): Error {
  return engineError(action, engineMessage(error), error);
}
