import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { PREVIEW_SHARED_LABEL } from './containerise-service.js';
import { PREVIEW_LABEL } from './preview-contract.js';

/** What removing a preview took away. */
export interface RemovedResources {
  containers: number;
  networks: number;
  volumes: number;
  images: number;
}

/**
 * Removes everything carrying `devenv.preview=<id>`: containers (stopped first, so databases shut down
 * cleanly), networks, volumes (data and record) and the images built for it. Found by label only, so
 * nothing devenv did not create is touched, and a half-made preview goes as completely as a whole one.
 */
export async function removePreview(runtime: ContainerRuntime, id: string): Promise<RemovedResources> {
  const filter = { [PREVIEW_LABEL]: id };
  const containers = await runtime.listContainers(filter);
  await Promise.all(
    containers.map(async (container) => {
      await runtime.stopContainer(container.id, 5);
      await runtime.removeContainer(container.id, { force: true });
    }),
  );
  const networks = await runtime.listNetworks(filter);
  for (const network of networks) await runtime.removeNetwork(network.id);
  const volumes = await runtime.listVolumes(filter);
  for (const volume of volumes) await runtime.removeVolume(volume.name);
  const images = await runtime.listImages(filter);
  for (const image of images) await runtime.removeImage(image.tags[0] ?? image.id);
  return {
    containers: containers.length,
    networks: networks.length,
    volumes: volumes.length,
    images: images.length,
  };
}

/**
 * Removes the images a project's previews share (their dependency layers) once the project has no
 * preview left; `projects` are those that still have one. Returns how many were removed.
 */
export async function removeUnusedSharedImages(
  runtime: ContainerRuntime,
  projects: ReadonlySet<string>,
  onlyProject?: string,
): Promise<number> {
  const shared = await runtime.listImages({
    [PREVIEW_SHARED_LABEL]: '1',
    ...(onlyProject === undefined ? {} : { 'devenv.project': onlyProject }),
  });
  const unused = shared.filter((image) => !projects.has(image.labels['devenv.project'] ?? ''));
  for (const image of unused) await runtime.removeImage(image.tags[0] ?? image.id);
  return unused.length;
}
