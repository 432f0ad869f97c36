import type { ContainerRuntime } from '../runtime/container-runtime.js';

/**
 * The Docker runtime, loaded on first use: dockerode costs ~250 ms of start-up that `--help`,
 * `validate` and other engine-free commands should not pay.
 */
export async function openRuntime(env: NodeJS.ProcessEnv): Promise<ContainerRuntime> {
  const { DockerRuntime } = await import('../runtime/docker/docker-runtime.js');
  return new DockerRuntime(env);
}
