import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ContainerSpec } from '../runtime/container-spec.js';

/** Seconds a dependency gets to shut down cleanly (Postgres checkpoints) before SIGKILL. */
const STOP_TIMEOUT_SEC = 10;

/** Pure: the container that runs one dependency, on the environment's network under its own name. */
export function dependencyContainerSpec(
  environment: ResolvedEnvironment,
  dependency: ResolvedDependency,
): ContainerSpec {
  return {
    name: dependency.containerName,
    image: dependency.image,
    env: dependency.env.values,
    ...(dependency.command ? { cmd: dependency.command } : {}),
    labels: { ...environment.labels, ...dependency.labels },
    network: { name: environment.network, aliases: [dependency.name] },
    ports: dependency.ports.map((port) => ({
      container: port.container,
      host: port.host,
      hostIp: '127.0.0.1',
      protocol: port.protocol,
    })),
    mounts: dependency.volumes.map((volume) => ({
      kind: 'volume',
      volume: volume.volumeName,
      target: volume.path,
    })),
    stopTimeoutSec: STOP_TIMEOUT_SEC,
  };
}
