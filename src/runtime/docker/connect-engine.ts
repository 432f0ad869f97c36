import Docker from 'dockerode';
import { ExternalError } from '../../errors/devenv-error.js';

/** Where the engine is, as the user would describe it (DOCKER_HOST or the default socket). */
export function describeEngineEndpoint(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

/**
 * A dockerode client configured from the environment the way the docker CLI is (DOCKER_HOST,
 * DOCKER_TLS_VERIFY, DOCKER_CERT_PATH are read by docker-modem), never pointing at a hard-coded host.
 */
export function connectEngine(): Docker {
  return new Docker();
}

export interface EngineInfo {
  serverVersion: string;
  apiVersion: string;
  os: string;
  registryMirrors: string[];
}

/** Asks the engine who it is; fails with ENGINE_UNREACHABLE and a way out when nothing answers. */
export async function pingEngine(docker: Docker, env: NodeJS.ProcessEnv): Promise<EngineInfo> {
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return {
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      os: `${version.Os}/${version.Arch}`,
      registryMirrors: (info as { RegistryConfig?: { Mirrors?: string[] } }).RegistryConfig?.Mirrors ?? [],
    };
  } catch (cause) {
    throw new ExternalError(
      'ENGINE_UNREACHABLE',
      `No Docker engine answers at ${describeEngineEndpoint(env)}.`,
      {
        hint: 'Start Docker (or set DOCKER_HOST), or run `bash scripts/provision.sh` as root on Debian/Ubuntu.',
        cause,
      },
    );
  }
}
