import type { ObservedContainer } from '../runtime/observed-state.js';
import { PREVIEW_HOST_LABEL, type PreviewRecord } from './preview-contract.js';

/** What `preview ls` shows (and the gateway's pages mean). */
export type PreviewState = 'running' | 'building' | 'sleeping' | 'failed' | 'expired';

/** A deploy that has not produced a running service container within this long has failed. */
const BUILDING_GRACE_MS = 15 * 60_000;

/**
 * Pure: a preview's state from its record and its containers (those labelled with its id).
 * - `expired`: past `expires` (the next gc removes it);
 * - `running`: every HTTP service of the record has a running container, and nothing has crashed;
 * - `sleeping`: service containers exist and none runs (idle sleep stops the services and leaves the
 *   dependencies running; or everything was stopped by hand);
 * - `failed`: a container exited with an error, or the deploy never finished;
 * - `building`: otherwise, while the last update is recent.
 */
export function previewState(
  record: PreviewRecord,
  containers: readonly ObservedContainer[],
  now: Date,
): PreviewState {
  if (record.expires.getTime() <= now.getTime()) return 'expired';
  const running = containers.filter((container) => container.state === 'running');
  const crashed = containers.some(
    (container) =>
      (container.state === 'exited' || container.state === 'dead') &&
      container.exitCode !== undefined &&
      container.exitCode !== 0 &&
      container.exitCode !== 143 &&
      container.exitCode !== 137,
  );
  const served = record.services.every((service) =>
    running.some((container) => container.labels[PREVIEW_HOST_LABEL] === service.host),
  );
  if (served && running.length > 0 && !crashed) return 'running';
  const services = containers.filter((container) => container.labels['devenv.kind'] === 'service');
  if (services.length > 0 && !services.some((c) => c.state === 'running') && !crashed) return 'sleeping';
  if (crashed) return 'failed';
  return now.getTime() - record.updated.getTime() < BUILDING_GRACE_MS ? 'building' : 'failed';
}
