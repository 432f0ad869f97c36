import type { ObservedContainer } from '../runtime/observed-state.js';

/** Label carrying what a preview service container was made from (config + image + URLs). */
export const PREVIEW_REVISION_LABEL = 'devenv.preview.revision';

/** What to do with one service of a preview. */
export type ServiceUpdate =
  /** A running container already has this revision: keep it, remove the rest. */
  | { kind: 'keep'; keep: string; remove: readonly string[] }
  /** Start a new container next to the `old` ones, and remove them once it is ready. */
  | { kind: 'replace'; old: readonly string[] };

/**
 * Blue-green per service, pure: keep the oldest running container at the wanted revision (the one the
 * gateway routes to); otherwise replace everything there is. Stopped leftovers are always removed.
 */
export function planServiceUpdate(existing: readonly ObservedContainer[], revision: string): ServiceUpdate {
  const current = [...existing]
    .filter(
      (container) => container.state === 'running' && container.labels[PREVIEW_REVISION_LABEL] === revision,
    )
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  if (current !== undefined) {
    return {
      kind: 'keep',
      keep: current.id,
      remove: existing.filter((container) => container.id !== current.id).map((container) => container.id),
    };
  }
  return { kind: 'replace', old: existing.map((container) => container.id) };
}
