import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { ObservedVolume } from '../runtime/observed-state.js';
import {
  PREVIEW_RECORD_LABEL,
  type PreviewRecord,
  parseRecordLabels,
  recordLabels,
} from './preview-contract.js';

/** A record as found on the engine: its volume's name, for removal. */
export interface StoredRecord {
  volume: string;
  record: PreviewRecord;
}

/** The newest record per preview id, and the superseded ones (left by an interrupted update). Pure. */
export function newestRecords(volumes: readonly ObservedVolume[]): {
  current: Map<string, StoredRecord>;
  superseded: StoredRecord[];
} {
  const stored = volumes.flatMap((volume) => {
    const record = parseRecordLabels(volume.labels);
    return record === undefined ? [] : [{ volume: volume.name, record }];
  });
  stored.sort(
    (a, b) => b.record.updated.getTime() - a.record.updated.getTime() || b.volume.localeCompare(a.volume),
  );
  const current = new Map<string, StoredRecord>();
  const superseded: StoredRecord[] = [];
  for (const item of stored) {
    if (current.has(item.record.id)) superseded.push(item);
    else current.set(item.record.id, item);
  }
  return { current, superseded };
}

/** Every preview on the engine, by id (newest record each). */
export async function readPreviewRecords(runtime: ContainerRuntime): Promise<Map<string, StoredRecord>> {
  return newestRecords(await runtime.listVolumes({ [PREVIEW_RECORD_LABEL]: '1' })).current;
}

/** The record volume's name: unique per update, so the new one exists before the old one goes. */
export function recordVolumeName(record: PreviewRecord): string {
  return `${record.project}-${record.env}-record-${record.updated.getTime().toString(36)}`;
}

/**
 * Writes `record` as a new record volume, then removes the preview's older records. Labels cannot
 * change, hence create-then-remove; a reader in between sees the newest `updated` win.
 */
export async function writePreviewRecord(runtime: ContainerRuntime, record: PreviewRecord): Promise<void> {
  const name = recordVolumeName(record);
  await runtime.ensureVolume(name, recordLabels(record));
  const others = (
    await runtime.listVolumes({ [PREVIEW_RECORD_LABEL]: '1', 'devenv.preview': record.id })
  ).filter((volume) => volume.name !== name);
  for (const volume of others) await runtime.removeVolume(volume.name);
}
