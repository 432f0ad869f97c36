import type { PullProgress } from '../runtime/runtime-streams.js';

export interface PullTotals {
  currentBytes: number;
  totalBytes: number;
  layersDone: number;
  layersTotal: number;
}

/**
 * Folds the engine's per-layer pull messages into totals a progress bar can show. Layers that
 * already exist locally count as done with no bytes.
 */
export class PullProgressTracker {
  readonly #layers = new Map<string, { current: number; total: number; done: boolean }>();

  add(progress: PullProgress): PullTotals {
    if (progress.layer !== undefined) {
      const layer = this.#layers.get(progress.layer) ?? { current: 0, total: 0, done: false };
      if (progress.total !== undefined) layer.total = progress.total;
      if (progress.phase === 'downloading' && progress.current !== undefined)
        layer.current = progress.current;
      if (progress.phase === 'downloaded' || progress.phase === 'extracting') layer.current = layer.total;
      if (progress.phase === 'done' || progress.phase === 'exists') {
        layer.current = layer.total;
        layer.done = true;
      }
      this.#layers.set(progress.layer, layer);
    }
    return this.totals();
  }

  totals(): PullTotals {
    let currentBytes = 0;
    let totalBytes = 0;
    let layersDone = 0;
    for (const layer of this.#layers.values()) {
      currentBytes += layer.current;
      totalBytes += layer.total;
      if (layer.done) layersDone++;
    }
    return { currentBytes, totalBytes, layersDone, layersTotal: this.#layers.size };
  }
}
