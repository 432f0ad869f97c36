import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { PREVIEW_LABEL } from './preview-contract.js';
import { newestRecords, readPreviewRecords } from './preview-records.js';
import { type RemovedResources, removePreview, removeUnusedSharedImages } from './remove-preview.js';

/** What one garbage collection did. */
export interface PreviewGarbageReport {
  /** Ids of previews removed because their record's `expires` had passed. */
  expired: string[];
  /** Ids found on resources carrying devenv preview labels without any record (e.g. after a `docker volume rm` of the record). */
  orphaned: string[];
  /** Older record volumes left by an interrupted update, removed. */
  supersededRecords: number;
  /** Totals over every removed preview. */
  removed: RemovedResources;
}

/**
 * Removes expired previews and orphaned preview resources, and tidies superseded records. Everything is
 * found by devenv's preview labels, so nothing devenv did not create is touched. Safe to run at any
 * time (the gateway does, periodically): `preview up` writes a preview's record before creating
 * anything else, so a preview being created is never taken for an orphan.
 */
export async function collectPreviewGarbage(
  runtime: ContainerRuntime,
  options: {
    now: Date;
    /** Only this project's previews (`devenv.project`); default: every preview on the engine. */
    project?: string | undefined;
  },
): Promise<PreviewGarbageReport> {
  const any: Record<string, string | true> = {
    [PREVIEW_LABEL]: true,
    ...(options.project === undefined ? {} : { 'devenv.project': options.project }),
  };
  const { current, superseded } = newestRecords(await runtime.listVolumes(any));
  for (const stale of superseded) await runtime.removeVolume(stale.volume);

  const expired = [...current.values()]
    .filter(({ record }) => record.expires.getTime() <= options.now.getTime())
    .map(({ record }) => record.id)
    .sort();

  const [containers, networks, volumes, images] = await Promise.all([
    runtime.listContainers(any),
    runtime.listNetworks(any),
    runtime.listVolumes(any),
    runtime.listImages(any),
  ]);
  const labelled = [...containers, ...networks, ...volumes, ...images].flatMap((resource) => {
    const id = resource.labels[PREVIEW_LABEL];
    return id === undefined ? [] : [id];
  });
  // A record written since the first listing (a `preview up` starting meanwhile) is in the second one.
  const recorded = new Set([...current.keys(), ...newestRecords(volumes).current.keys()]);
  const orphaned = [...new Set(labelled)].filter((id) => !recorded.has(id)).sort();

  const removed: RemovedResources = { containers: 0, networks: 0, volumes: 0, images: 0 };
  for (const id of [...expired, ...orphaned]) {
    const result = await removePreview(runtime, id);
    removed.containers += result.containers;
    removed.networks += result.networks;
    removed.volumes += result.volumes;
    removed.images += result.images;
  }
  // A project's shared dependency layers go with its last preview.
  const remaining = new Set(
    [...(await readPreviewRecords(runtime)).values()].map(({ record }) => record.project),
  );
  removed.images += await removeUnusedSharedImages(runtime, remaining, options.project);
  return { expired, orphaned, supersededRecords: superseded.length, removed };
}
