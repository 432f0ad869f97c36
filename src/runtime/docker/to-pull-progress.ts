import type { PullProgress } from '../runtime-streams.js';

/** One message of the engine's pull (or build) progress stream. */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

// The engine's wording is the only signal it gives; unknown statuses stay `info` with the text kept.
const PHASES: Readonly<Record<string, PullProgress['phase']>> = {
  'Pulling fs layer': 'waiting',
  Waiting: 'waiting',
  Downloading: 'downloading',
  'Verifying Checksum': 'downloaded',
  'Download complete': 'downloaded',
  Extracting: 'extracting',
  'Pull complete': 'done',
  'Already exists': 'exists',
};

/** A progress message as a `PullProgress` (pure). */
export function toPullProgress(ref: string, message: ProgressMessage): PullProgress {
  const status = message.status ?? '';
  const phase = PHASES[status] ?? 'info';
  return {
    ref,
    // On `info` lines the id is the tag being pulled, not a layer.
    layer: phase === 'info' ? undefined : message.id,
    phase,
    status,
    current: message.progressDetail?.current,
    total: message.progressDetail?.total,
  };
}
