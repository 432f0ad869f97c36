import { ExternalError } from '../errors/devenv-error.js';

/** Stable codes for failures of the container runtime (documented for scripts, matched by callers). */
export const RuntimeErrorCode = {
  engineUnreachable: 'ENGINE_UNREACHABLE',
  imageNotFound: 'IMAGE_NOT_FOUND',
  registryUnreachable: 'REGISTRY_UNREACHABLE',
  portBusy: 'PORT_BUSY',
  nameConflict: 'NAME_CONFLICT',
  buildFailed: 'BUILD_FAILED',
  containerNotFound: 'CONTAINER_NOT_FOUND',
  engineError: 'ENGINE_ERROR',
} as const;

export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/**
 * The image is in none of the registries the engine consults. `unreachable` is the engine's message
 * when the registry named by the reference could not be reached after the mirrors answered "not found".
 */
export function imageNotFoundError(
  ref: string,
  mirrors: readonly string[],
  cause?: unknown,
  unreachable?: string,
): ExternalError {
  // The engine's mirrors only stand in for Docker Hub; other registries are asked directly.
  const inMirrors =
    mirrors.length > 0 && isDockerHubRef(ref)
      ? ` in the engine's registry mirrors (${mirrors.join(', ')})`
      : '';
  const message = unreachable
    ? `Image "${ref}" was not found${inMirrors}, and the registry it names could not be reached: ${unreachable}`
    : `Image "${ref}" was not found${inMirrors ? `${inMirrors} nor` : ''} in the registry it names.`;
  return new ExternalError(RuntimeErrorCode.imageNotFound, message, {
    hint: `Check the image name and tag in devenv.yaml; \`docker pull ${ref}\` shows what the engine sees.`,
    cause,
  });
}

/** Docker Hub references have no registry host (`redis:8`, `bitnami/redis`), as the docker CLI reads them. */
export function isDockerHubRef(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash < 0) return true;
  const first = ref.slice(0, slash);
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !(first.includes('.') || first.includes(':') || first === 'localhost');
}

/** The engine's text (a 500) for a registry it cannot reach: Go's network errors. */
export const REGISTRY_UNREACHABLE =
  /dial tcp|no such host|connection refused|i\/o timeout|TLS handshake|x509/i;

/** No mirror is configured and the registry the image reference names cannot be reached. */
export function registryUnreachableError(ref: string, engineMessage: string, cause?: unknown): ExternalError {
  return new ExternalError(
    RuntimeErrorCode.registryUnreachable,
    `Cannot reach the registry for "${ref}": ${engineMessage}`,
    {
      hint: 'Check the network, or configure a registry mirror on the engine ("registry-mirrors" in daemon.json).',
      cause,
    },
  );
}

/** Creating a container from an image that was not pulled (or built) first. */
export function imageNotPresentError(ref: string, cause?: unknown): ExternalError {
  return new ExternalError(RuntimeErrorCode.imageNotFound, `Image "${ref}" is not present on the engine.`, {
    hint: 'devenv pulls images before creating containers; if this persists, run `docker pull` for it.',
    cause,
  });
}

/** A published host port is taken; `holder` names who holds it when known. */
export function portBusyError(
  port: number | undefined,
  holder: string | undefined,
  cause?: unknown,
): ExternalError {
  const which = port === undefined ? 'A host port' : `Host port ${port}`;
  const by = holder ? ` by ${holder}` : '';
  return new ExternalError(RuntimeErrorCode.portBusy, `${which} is already in use${by}.`, {
    hint: 'Stop what holds the port, or choose another host port for this service in devenv.yaml.',
    cause,
  });
}

/** The name is taken; `foreign` when the existing object carries another environment's labels (or none). */
export function nameConflictError(
  kind: string,
  name: string,
  cause?: unknown,
  foreign = false,
): ExternalError {
  const whose = foreign ? ' and does not belong to this devenv environment' : '';
  return new ExternalError(
    RuntimeErrorCode.nameConflict,
    `A ${kind} named "${name}" already exists${whose}.`,
    {
      hint: `Remove or rename it (\`docker ${kind} rm ${name}\`) if it is stale.`,
      cause,
    },
  );
}

export function engineUnreachableError(endpoint: string, during: string, cause?: unknown): ExternalError {
  return new ExternalError(
    RuntimeErrorCode.engineUnreachable,
    `The Docker engine at ${endpoint} did not answer (${during}).`,
    { hint: 'Start Docker (or set DOCKER_HOST / `docker context use`), then retry.', cause },
  );
}

/** The socket exists but this user may not use it (ENGINE_UNREACHABLE too: the engine cannot be used). */
export function enginePermissionError(endpoint: string, cause?: unknown): ExternalError {
  return new ExternalError(
    RuntimeErrorCode.engineUnreachable,
    `Permission denied on the Docker engine socket at ${endpoint}.`,
    { hint: 'Add your user to the `docker` group (then log in again), or use a rootless engine.', cause },
  );
}

export function engineError(during: string, engineMessage: string, cause?: unknown): ExternalError {
  return new ExternalError(
    RuntimeErrorCode.engineError,
    `The Docker engine refused to ${during}: ${engineMessage}`,
    {
      cause,
    },
  );
}

export function buildFailedError(tag: string, builderMessage: string, cause?: unknown): ExternalError {
  return new ExternalError(RuntimeErrorCode.buildFailed, `Building ${tag} failed: ${builderMessage}`, {
    hint: 'The lines above come from the image build; fix the Dockerfile or the build context.',
    cause,
  });
}

export function containerNotFoundError(idOrName: string, cause?: unknown): ExternalError {
  return new ExternalError(RuntimeErrorCode.containerNotFound, `No container "${idOrName}" on the engine.`, {
    hint: 'It may have been removed outside devenv; `devenv up` recreates it.',
    cause,
  });
}
