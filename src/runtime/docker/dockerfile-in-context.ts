import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isInside } from '../../util/is-inside.js';
import type { BuildOptions } from '../container-runtime.js';
import { buildFailedError } from '../runtime-errors.js';
import { readIfExists } from './pack-build-context.js';

/**
 * Where a Dockerfile that lives outside the build context goes in the tar sent to the engine (which
 * only reads a Dockerfile from the context), as `docker build -f ../x.Dockerfile .` does. A fixed name,
 * not a random one as the CLI's: the build fingerprint includes it.
 */
const OUTSIDE_DOCKERFILE = '.devenv/Dockerfile';

/** How a build's Dockerfile and `.dockerignore` are sent; the same for a build and its fingerprint. */
export interface DockerfileInContext {
  /** The Dockerfile's name inside the build context sent to the engine. */
  dockerfile: string;
  /** Its text, when it is not a file of the context: sent under `dockerfile`'s name, never written. */
  dockerfileContents: string | undefined;
  /** Absolute path of the `.dockerignore` whose rules apply (it may not exist). */
  dockerignore: string;
  /**
   * What the tar's `.dockerignore` says instead of the context's file, when the Dockerfile is sent under
   * a name of devenv's: it names that file, so the builder drops it after reading it and `COPY .` does
   * not copy it (the docker CLI does the same).
   */
  sentDockerignore: string | undefined;
}

/**
 * The Dockerfile as the build sends it: a file of the context as is; one outside the context (`dockerfile:
 * ../ext.Dockerfile`) read now and sent under `OUTSIDE_DOCKERFILE`, with `<Dockerfile>.dockerignore` beside
 * it when there is one instead of the context's `.dockerignore` (as Docker does). A missing outside
 * Dockerfile is BUILD_FAILED naming it.
 */
export async function dockerfileInContext(
  options: Pick<BuildOptions, 'context' | 'dockerfile' | 'dockerfileContents' | 'tag'>,
): Promise<DockerfileInContext> {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const contextIgnore = join(options.context, '.dockerignore');
  const path = resolve(options.context, dockerfile);
  if (options.dockerfileContents !== undefined || isInside(options.context, path)) {
    return {
      dockerfile,
      dockerfileContents: options.dockerfileContents,
      dockerignore: contextIgnore,
      sentDockerignore: undefined,
    };
  }
  let dockerfileContents: string;
  try {
    dockerfileContents = await readFile(path, 'utf8');
  } catch (error) {
    throw buildFailedError(
      options.tag,
      `cannot read the Dockerfile ${path}: ${(error as Error).message}`,
      error,
    );
  }
  const ownIgnore = `${path}.dockerignore`;
  // Without a .dockerignore of its own, the context gets one that names itself too, as with the CLI.
  const contextRules = (await readIfExists(contextIgnore)) ?? '.dockerignore';
  return {
    dockerfile: OUTSIDE_DOCKERFILE,
    dockerfileContents,
    dockerignore: (await readIfExists(ownIgnore)) === undefined ? contextIgnore : ownIgnore,
    sentDockerignore: `${contextRules}\n${OUTSIDE_DOCKERFILE}\n`,
  };
}
