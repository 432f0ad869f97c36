import type { ContainerRuntime } from '../runtime/container-runtime.js';
import {
  acquirePreviewLock,
  type LockHolderOptions,
  type PreviewLockOptions,
  thisProcessAsHolder,
} from './preview-lock.js';
import { readPreviewRecords } from './preview-records.js';
import { type RemovedResources, removePreview, removeUnusedSharedImages } from './remove-preview.js';

export interface TakeDownPreviewOptions
  extends Pick<PreviewLockOptions, 'clock' | 'project' | 'env' | 'previewId' | 'progress' | 'signal'> {
  runtime: ContainerRuntime;
  /** Who takes the preview's lock; this process by default (tests stand in for other processes). */
  lockHolder?: LockHolderOptions;
}

/**
 * `preview down`: removes the preview under its lock, so a `preview up` running meanwhile finishes
 * first (otherwise it would recreate what was removed, or fail on what vanished under it), and one
 * starting meanwhile waits and then deploys afresh. The project's shared dependency images go too when
 * this was its last preview, still under the lock: the waiting `up` then builds them again.
 */
export async function takeDownPreview(options: TakeDownPreviewOptions): Promise<RemovedResources> {
  const { runtime } = options;
  const lock = await acquirePreviewLock({
    runtime,
    clock: options.clock,
    project: options.project,
    env: options.env,
    previewId: options.previewId,
    command: 'preview down',
    ...(options.lockHolder ?? (await thisProcessAsHolder())),
    progress: options.progress,
    signal: options.signal,
  });
  try {
    const removed = await removePreview(runtime, options.previewId);
    const projects = new Set(
      [...(await readPreviewRecords(runtime)).values()].map(({ record }) => record.project),
    );
    removed.images += await removeUnusedSharedImages(runtime, projects);
    return removed;
  } finally {
    await lock.release();
  }
}
