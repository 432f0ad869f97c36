import type { Clock } from '../util/clock.js';
import type { FileBatch, FileChange } from './file-change.js';

export interface DebounceBatchesOptions {
  clock: Clock;
  /**
   * Flush once no event arrived for this long. Longer than chokidar's own 50 ms throttle of `change`
   * events per file, which replays a burst's last write up to ~50 ms after its first: with an equal
   * quiet period one burst would often split into two reloads. @default 100
   */
  quietMs?: number;
  /** Flush at the latest this long after the first event, even while events keep coming. @default 500 */
  maxWaitMs?: number;
  onBatch: (batch: FileBatch) => void;
  /** A throwing `onBatch` lands here rather than as an unhandled rejection. */
  onError: (error: unknown) => void;
}

export interface BatchDebouncer {
  push(change: FileChange): void;
  /** Drops what is pending; later pushes are ignored. */
  close(): void;
}

/**
 * Collects file events into batches so that a `git checkout`, a formatter run or an editor's save
 * dance becomes one reload instead of hundreds. Timing is on the injected clock.
 */
export function debounceBatches(options: DebounceBatchesOptions): BatchDebouncer {
  const { clock, onBatch } = options;
  const quietMs = options.quietMs ?? 100;
  const maxWaitMs = options.maxWaitMs ?? 500;
  const closed = new AbortController();
  let pending = new Map<string, Pending>();
  let firstAt = 0;
  let lastAt = 0;
  let lastPushedAt = 0;
  let waiting = false;

  const wait = async (): Promise<void> => {
    const openedAt = clock.now();
    for (;;) {
      const deadline = Math.min(lastPushedAt + quietMs, openedAt + maxWaitMs);
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      await clock.sleep(remaining, closed.signal);
    }
    waiting = false;
    const changes = [...pending.values()]
      .map(netChange)
      .filter((change) => change !== undefined)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    pending = new Map();
    if (changes.length > 0) onBatch({ changes, firstAt, lastAt });
  };

  return {
    push(change) {
      if (closed.signal.aborted) return;
      const previous = pending.get(change.path);
      pending.set(change.path, {
        existedBefore: previous ? previous.existedBefore : change.kind !== 'add',
        last: change,
      });
      if (!waiting) firstAt = change.at;
      lastAt = change.at;
      lastPushedAt = clock.now();
      if (waiting) return;
      waiting = true;
      wait().catch((error: unknown) => {
        if (!closed.signal.aborted) options.onError(error);
      });
    },
    close() {
      closed.abort();
      pending = new Map();
    },
  };
}

interface Pending {
  /** Whether the file existed before the first event of this batch. */
  existedBefore: boolean;
  last: FileChange;
}

/** The net effect of all events on one path: a file created and deleted within a batch never happened. */
function netChange({ existedBefore, last }: Pending): FileChange | undefined {
  const existsNow = last.kind !== 'unlink';
  if (!existedBefore && !existsNow) return undefined;
  const kind = !existedBefore ? 'add' : existsNow ? 'change' : 'unlink';
  return { ...last, kind };
}
