import type Docker from 'dockerode';
import type { PullOptions } from '../container-runtime.js';
import {
  engineError,
  imageNotFoundError,
  REGISTRY_UNREACHABLE,
  registryUnreachableError,
} from '../runtime-errors.js';
import { engineMessage, mapDockerError, statusCode } from './map-docker-error.js';
import { readJsonLines } from './read-json-lines.js';
import { splitImageRef } from './split-image-ref.js';
import { type ProgressMessage, toPullProgress } from './to-pull-progress.js';

export interface PullContext {
  endpoint: string;
  /** The engine's mirrors, asked only when an error message needs them. */
  mirrors: () => Promise<readonly string[]>;
}

// Registries answer a missing image in several ways; mid-stream, the engine's text is all there is.
const NOT_FOUND = /not found|does not exist|manifest unknown|pull access denied/i;

/** Pulls through the engine (its mirrors and configuration apply), reporting per-layer progress. */
export async function pullImage(docker: Docker, ref: string, options: PullOptions, context: PullContext) {
  const { repository, tagOrDigest } = splitImageRef(ref);
  const { signal, onProgress } = options;
  try {
    const stream = await docker.createImage({
      fromImage: repository,
      tag: tagOrDigest,
      ...(signal ? { abortSignal: signal } : {}),
    });
    for await (const message of readJsonLines(stream) as AsyncIterable<ProgressMessage>) {
      // A registry failure after the pull started arrives inside the stream, not as an HTTP status.
      if (message.error !== undefined)
        throw await failure(ref, message.errorDetail?.message ?? message.error, context);
      onProgress?.(toPullProgress(ref, message));
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const status = statusCode(error);
    if (status === 404) throw imageNotFoundError(ref, await mirrorsOrNone(context), error);
    if (status === 500 && REGISTRY_UNREACHABLE.test(engineMessage(error)))
      throw await unreachable(ref, error, context);
    throw mapDockerError(error, { action: `pull ${ref}`, endpoint: context.endpoint });
  }
}

/** Whether the image is on the engine already (no registry is consulted). */
export async function imageExists(docker: Docker, ref: string, endpoint: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (error) {
    if (statusCode(error) === 404) return false;
    throw mapDockerError(error, { action: `inspect image ${ref}`, endpoint });
  }
}

async function failure(ref: string, message: string, context: PullContext): Promise<Error> {
  if (NOT_FOUND.test(message))
    return imageNotFoundError(ref, await mirrorsOrNone(context), new Error(message));
  return engineError(`pull ${ref}`, message);
}

// With mirrors, the engine asks the reference's own registry only after every mirror said "not found".
async function unreachable(ref: string, error: unknown, context: PullContext): Promise<Error> {
  const mirrors = await mirrorsOrNone(context);
  const message = engineMessage(error);
  return mirrors.length > 0
    ? imageNotFoundError(ref, mirrors, error, message)
    : registryUnreachableError(ref, message, error);
}

async function mirrorsOrNone(context: PullContext): Promise<readonly string[]> {
  try {
    return await context.mirrors();
  } catch {
    // The mirrors only decorate the message of the error being reported; losing them loses no failure.
    return [];
  }
}
