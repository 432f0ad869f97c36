import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { type ContainerSpec, DevenvLabel } from '../runtime/container-spec.js';
import type { ImageConfig } from '../runtime/observed-state.js';
import { type ContainerEntity, containerShape } from './container-entity.js';
import { imageVolumes } from './image-volumes.js';
import { RESTARTER_LABEL, restarterCommand, restartsInPlace } from './restart-in-place.js';

/**
 * Seconds a container gets to shut down cleanly before SIGKILL: a database checkpoints; the
 * repository's own code has nothing to flush, and a dev server as PID 1 often ignores SIGTERM.
 */
const STOP_TIMEOUT_SEC = { dependency: 10, service: 3 } as const;

/** devenv's restart policies in the engine's words; `always` must still honour a deliberate stop. */
const ENGINE_RESTART = { no: 'no', 'on-failure': 'on-failure', always: 'unless-stopped' } as const;

/**
 * Pure: the container that runs one dependency or container service, on the environment's network
 * under its own name. Services also get `PORT` (their container port) unless their env sets it, and
 * every container can reach local-process services on the host as `host.docker.internal`. A service
 * that file changes restart runs under the restarter (see `restarterCommand`) when `image` (the
 * image's config) says what to run; the image's VOLUME paths get the named volumes of `imageVolumes`.
 */
export function containerSpecFor(
  environment: ResolvedEnvironment,
  entity: ContainerEntity,
  image?: ImageConfig,
): ContainerSpec {
  const shape = containerShape(entity);
  const argv = image ? [...image.entrypoint, ...(shape.command ?? image.cmd)] : [];
  const restarter = restartsInPlace(entity) && argv.length > 0 ? restarterCommand(argv) : undefined;
  const port = entity.kind === 'service' ? entity.ports[0]?.container : undefined;
  const env = { ...entity.env.values };
  const fingerprint = shape.build ? image?.labels[DevenvLabel.buildFingerprint] : undefined;
  if (port !== undefined && env.PORT === undefined) env.PORT = String(port);
  return {
    name: shape.containerName,
    image: shape.image,
    env,
    ...(restarter ?? (shape.command ? { cmd: shape.command } : {})),
    labels: {
      ...environment.labels,
      ...entity.labels,
      ...(restarter ? { [RESTARTER_LABEL]: '1' } : {}),
      // Which build of its image the container runs: `up` recreates it when the context changed since.
      ...(fingerprint !== undefined ? { [DevenvLabel.buildFingerprint]: fingerprint } : {}),
    },
    network: { name: environment.network, aliases: [entity.name] },
    ports: shape.ports.map((published) => ({
      container: published.container,
      host: published.host,
      hostIp: '127.0.0.1',
      protocol: published.protocol,
    })),
    mounts: [...shape.volumes, ...imageVolumes(environment, entity, image?.volumes ?? [])].map((volume) => ({
      kind: 'volume',
      volume: volume.volumeName,
      target: volume.path,
    })),
    extraHosts: { 'host.docker.internal': 'host-gateway' },
    stopTimeoutSec: STOP_TIMEOUT_SEC[entity.kind],
    restart: entity.kind === 'dependency' ? 'unless-stopped' : ENGINE_RESTART[entity.restart],
  };
}
