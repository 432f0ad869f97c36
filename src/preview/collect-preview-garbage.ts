import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import { type Clock, systemClock } from '../util/clock.js';
import { PREVIEW_LABEL, PREVIEW_RECORD_LABEL } from './preview-contract.js';
import {
  acquirePreviewLock,
  type LockHolderOptions,
  PREVIEW_LOCK_LABEL,
  thisProcessAsHolder,
} from './preview-lock.js';
import { PreviewLockedError } from './preview-locked-error.js';
import { newestRecords, readPreviewRecords } from './preview-records.js';
import { type RemovedResources, removePreview, removeUnusedSharedImages } from './remove-preview.js';

/** What one garbage collection did. */
export interface PreviewGarbageReport {
  /** Ids of previews removed because their record's `expires` had passed. */
  expired: string[];
  /**
   * Ids found on resources carrying devenv preview labels without any record (e.g. after a `docker
   * volume rm` of the record), or only on a lock a killed run left.
   */
  orphaned: string[];
  /** Ids of previews due for removal that a live `preview up`/`down` holds the lock of: left alone. */
  skipped: string[];
  /** Older record volumes left by an interrupted update, removed. */
  supersededRecords: number;
  /** Totals over every removed preview. */
  removed: RemovedResources;
}

export interface PreviewGarbageOptions {
  now: Date;
  /** Only this project's previews (`devenv.project`); default: every preview on the engine. */
  project?: string | undefined;
  clock?: Clock;
  /** Who takes a preview's lock; this process by default (tests stand in for other processes). */
  lockHolder?: LockHolderOptions;
  /** One human line, prefixed with the preview's id: whose lock it waits for, skips or takes over. */
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Removes expired previews and orphaned preview resources, and tidies superseded records. Everything is
 * found by devenv's preview labels, so nothing devenv did not create is touched. Safe to run at any
 * time (the gateway does, periodically): each preview is removed under its lock, which gc never waits
 * for behind a live run (it skips that preview: a deploy in progress renews it) but takes over from a
 * killed one; and whether the preview is still due is checked again under the lock. `preview up` writes
 * a preview's record before creating anything else, so a preview being created is not an orphan.
 */
export async function collectPreviewGarbage(
  runtime: ContainerRuntime,
  options: PreviewGarbageOptions,
): Promise<PreviewGarbageReport> {
  const project: Record<string, string> =
    options.project === undefined ? {} : { [DevenvLabel.project]: options.project };
  const any: Record<string, string | true> = { [PREVIEW_LABEL]: true, ...project };
  const { current, superseded } = newestRecords(await runtime.listVolumes(any));
  for (const stale of superseded) await runtime.removeVolume(stale.volume);

  const expired = [...current.values()]
    .filter(({ record }) => record.expires.getTime() <= options.now.getTime())
    .map(({ record }) => record.id)
    .sort();

  const [containers, networks, volumes, images, locks] = await Promise.all([
    runtime.listContainers(any),
    runtime.listNetworks(any),
    runtime.listVolumes(any),
    runtime.listImages(any),
    runtime.listVolumes({ [PREVIEW_LOCK_LABEL]: true, ...project }),
  ]);
  const labelled = [...containers, ...networks, ...volumes, ...images].flatMap((resource) => {
    const id = resource.labels[PREVIEW_LABEL];
    return id === undefined ? [] : [id];
  });
  // Lock volumes carry no `devenv.preview` label (gc must not remove a live lock as an orphan's); one
  // of a preview without a record or resources is a killed run's, and goes under the lock, like one.
  const lockOnly = locks.flatMap((volume) => volume.labels[PREVIEW_LOCK_LABEL] ?? []);
  // A record written since the first listing (a `preview up` starting meanwhile) is in the second one.
  const recorded = new Set([...current.keys(), ...newestRecords(volumes).current.keys()]);
  const orphaned = [...new Set([...labelled, ...lockOnly])].filter((id) => !recorded.has(id)).sort();
  // The lock's name is made of the preview's project and engine environment.
  const targets = new Map<string, { project: string; env: string }>();
  for (const resource of [...containers, ...networks, ...volumes, ...images, ...locks]) {
    const id = resource.labels[PREVIEW_LABEL] ?? resource.labels[PREVIEW_LOCK_LABEL];
    const owner = resource.labels[DevenvLabel.project];
    const env = resource.labels[DevenvLabel.env];
    if (id !== undefined && owner !== undefined && env !== undefined)
      targets.set(id, { project: owner, env });
  }
  for (const { record } of current.values()) targets.set(record.id, record);

  const lockHolder = options.lockHolder ?? (await thisProcessAsHolder());
  const removed: RemovedResources = { containers: 0, networks: 0, volumes: 0, images: 0 };
  const report: PreviewGarbageReport = {
    expired: [],
    orphaned: [],
    skipped: [],
    supersededRecords: 0,
    removed,
  };
  for (const [id, due] of [
    ...expired.map((id) => [id, 'expired'] as const),
    ...orphaned.map((id) => [id, 'orphaned'] as const),
  ]) {
    const target = targets.get(id) ?? targetOf(id);
    const progress = (line: string) => options.progress?.(`${id}: ${line}`);
    let lock: Awaited<ReturnType<typeof acquirePreviewLock>>;
    try {
      lock = await acquirePreviewLock({
        runtime,
        clock: options.clock ?? systemClock,
        project: target.project,
        env: target.env,
        previewId: id,
        command: 'preview gc',
        ...lockHolder,
        progress,
        signal: options.signal ?? new AbortController().signal,
        whenLive: 'fail',
      });
    } catch (error) {
      if (!(error instanceof PreviewLockedError)) throw error;
      progress(`left alone: ${error.holder}`);
      report.skipped.push(id);
      continue;
    }
    try {
      // The run that held the lock until now may have renewed the preview (or created its record).
      const now = newestRecords(
        await runtime.listVolumes({ [PREVIEW_RECORD_LABEL]: '1', [PREVIEW_LABEL]: id }),
      ).current.get(id)?.record;
      const stillDue =
        due === 'expired'
          ? now === undefined || now.expires.getTime() <= options.now.getTime()
          : now === undefined;
      if (!stillDue) continue;
      const result = await removePreview(runtime, id);
      report[due].push(id);
      removed.containers += result.containers;
      removed.networks += result.networks;
      removed.volumes += result.volumes;
      removed.images += result.images;
    } finally {
      await lock.release({ leftovers: true });
    }
  }
  // A project's shared dependency layers go with its last preview.
  const remaining = new Set(
    [...(await readPreviewRecords(runtime)).values()].map(({ record }) => record.project),
  );
  removed.images += await removeUnusedSharedImages(runtime, remaining, options.project);
  report.supersededRecords = superseded.length;
  return report;
}

/**
 * The project and engine environment of a preview known only by its id (its resources lack the labels,
 * as a hand-made one's might): `<branch-slug>-<hash>.<project>` is `preview-<branch-slug>-<hash>`'s.
 */
function targetOf(id: string): { project: string; env: string } {
  const dot = id.indexOf('.');
  return { project: id.slice(dot + 1), env: `preview-${id.slice(0, dot)}` };
}
