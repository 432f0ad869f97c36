import type { Clock } from '../util/clock.js';
import type { FileBatch, FileChange } from './file-change.js';

export interface DebounceBatchesOptions {
  clock: Clock;
  /**
   * Flush once nothing happened for this long: no file event and no raw file-system activity
   * (`touch`). Raw activity arrives within a millisecond of every write, so a burst (a `git checkout`,
   * a formatter) keeps the batch open even while chokidar holds its events back, and the quiet period
   * can be short: a single save is acted on this long after its event. @default 15
   */
  quietMs?: number;
  /** Flush at the latest this long after the first event, even while events keep coming. @default 500 */
  maxWaitMs?: number;
  /**
   * How long after a flush a `change` of a path in that batch, with no raw activity on it since, is
   * dropped as a replay: chokidar reports a file's first write at once and the last of a burst of
   * writes to it up to 50 ms later, when the flushed batch has already acted on it. @default 150
   */
  replayWindowMs?: number;
  onBatch: (batch: FileBatch) => void;
  /** A throwing `onBatch` lands here rather than as an unhandled rejection. */
  onError: (error: unknown) => void;
}

export interface BatchDebouncer {
  push(change: FileChange): void;
  /**
   * Raw file-system activity on a relative path (`undefined`: somewhere): keeps the batch open and
   * marks the path as written after the last flush, so its next `change` is news, not a replay.
   */
  touch(path: string | undefined): void;
  /** Drops what is pending; later pushes are ignored. */
  close(): void;
}

/**
 * Collects file events into batches so that a `git checkout`, a formatter run or an editor's save
 * dance becomes one reload instead of hundreds, while a single save is acted on almost at once.
 * Timing is on the injected clock.
 */
export function debounceBatches(options: DebounceBatchesOptions): BatchDebouncer {
  const { clock, onBatch } = options;
  const quietMs = options.quietMs ?? 15;
  const maxWaitMs = options.maxWaitMs ?? 500;
  const replayWindowMs = options.replayWindowMs ?? 150;
  const closed = new AbortController();
  let pending = new Map<string, Pending>();
  let firstAt = 0;
  let lastAt = 0;
  let lastActiveAt = 0;
  let waiting = false;
  /** Paths of recent batches not written since they flushed, and until when a `change` is a replay. */
  const settled = new Map<string, number>();

  const wait = async (): Promise<void> => {
    const openedAt = clock.now();
    for (;;) {
      const deadline = Math.min(lastActiveAt + quietMs, openedAt + maxWaitMs);
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        // A busy event loop runs due timers before it reads the file events queued meanwhile: read
        // them first, so a burst still being written is not cut in two.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (closed.signal.aborted) return;
        if (Math.min(lastActiveAt + quietMs, openedAt + maxWaitMs) <= clock.now()) break;
        continue;
      }
      await clock.sleep(remaining, closed.signal);
    }
    waiting = false;
    const changes = [...pending.values()]
      .map(netChange)
      .filter((change) => change !== undefined)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    pending = new Map();
    const flushedAt = clock.now();
    for (const [path, until] of settled) if (until <= flushedAt) settled.delete(path);
    for (const change of changes) settled.set(change.path, flushedAt + replayWindowMs);
    if (changes.length > 0) onBatch({ changes, firstAt, lastAt });
  };

  const activity = (at: number): void => {
    lastActiveAt = clock.now();
    if (waiting) return;
    waiting = true;
    firstAt = at;
    wait().catch((error: unknown) => {
      if (!closed.signal.aborted) options.onError(error);
    });
  };

  return {
    push(change) {
      if (closed.signal.aborted) return;
      const replayUntil = settled.get(change.path);
      if (change.kind === 'change' && replayUntil !== undefined && clock.now() < replayUntil) return;
      settled.delete(change.path);
      const previous = pending.get(change.path);
      pending.set(change.path, {
        existedBefore: previous ? previous.existedBefore : change.kind !== 'add',
        last: change,
      });
      activity(change.at);
      lastAt = change.at;
    },
    touch(path) {
      if (closed.signal.aborted) return;
      if (path === undefined) settled.clear();
      else settled.delete(path);
      activity(clock.now());
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
