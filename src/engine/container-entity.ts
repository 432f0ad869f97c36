import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedEntityBase, ResolvedVolume } from '../model/resolved-entity.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ResolvedService, ServiceRuntime } from '../model/resolved-service.js';

/** A service the engine runs as a container (`build:` or `image:`), as opposed to a local process. */
export type ContainerService = ResolvedService & { runtime: Extract<ServiceRuntime, { kind: 'container' }> };

/** Everything that runs as a container: every dependency, and the services with `build:`/`image:`. */
export type ContainerEntity = ResolvedDependency | ContainerService;

export function isContainerService(service: ResolvedService): service is ContainerService {
  return service.runtime.kind === 'container';
}

/** Dependencies first, then container services, each group in the model's start order. */
export function containerEntities(environment: ResolvedEnvironment): ContainerEntity[] {
  return [...environment.dependencies, ...environment.services.filter(isContainerService)];
}

/** The parts of a container entity the engine needs, whichever kind it is. */
export interface ContainerShape extends Pick<ResolvedEntityBase, 'name' | 'ports' | 'readiness'> {
  containerName: string;
  /** The image to run: pulled by reference, or the tag a build produces. */
  image: string;
  build: Extract<Extract<ServiceRuntime, { kind: 'container' }>['source'], { kind: 'build' }> | undefined;
  command: readonly string[] | undefined;
  volumes: readonly ResolvedVolume[];
}

export function containerShape(entity: ContainerEntity): ContainerShape {
  if (entity.kind === 'dependency') {
    return { ...entity, build: undefined };
  }
  const { runtime } = entity;
  return {
    name: entity.name,
    ports: entity.ports,
    readiness: entity.readiness,
    containerName: runtime.containerName,
    image: runtime.source.kind === 'image' ? runtime.source.image : runtime.source.tag,
    build: runtime.source.kind === 'build' ? runtime.source : undefined,
    command: runtime.command,
    volumes: runtime.volumes,
  };
}
