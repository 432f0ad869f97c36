import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import Docker from 'dockerode';
import type { EngineInfo } from '../observed-state.js';
import { engineUnreachableError } from '../runtime-errors.js';
import { type EngineEndpoint, resolveEngineEndpoint } from './resolve-engine-endpoint.js';

/** A dockerode client and where it points. */
export interface EngineConnection {
  docker: Docker;
  endpoint: EngineEndpoint;
}

/**
 * Connects the way the docker CLI would (DOCKER_HOST, DOCKER_CONTEXT or the current context, else the
 * default socket), never to a hard-coded host. Nothing is sent until the first call.
 */
export function openEngine(env: NodeJS.ProcessEnv = process.env): EngineConnection {
  const endpoint = resolveEngineEndpoint({ env, home: homedir(), readFile: readIfExists });
  return { docker: new Docker(endpoint.options), endpoint };
}

/** Where the engine is, as the user would describe it. */
export function describeEngineEndpoint(env: NodeJS.ProcessEnv): string {
  return resolveEngineEndpoint({ env, home: homedir(), readFile: readIfExists }).url;
}

/** Asks the engine who it is; fails with ENGINE_UNREACHABLE and a way out when nothing answers. */
export async function pingEngine(docker: Docker, env: NodeJS.ProcessEnv): Promise<EngineInfo> {
  const endpoint = describeEngineEndpoint(env);
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return {
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      os: `${version.Os}/${version.Arch}`,
      registryMirrors: (info as { RegistryConfig?: { Mirrors?: string[] } }).RegistryConfig?.Mirrors ?? [],
      endpoint,
    };
  } catch (cause) {
    throw engineUnreachableError(endpoint, 'asked for its version', cause);
  }
}

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
