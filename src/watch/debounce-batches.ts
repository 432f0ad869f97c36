import type { Clock } from '../util/clock.js';
import type { FileBatch, FileChange } from './file-change.js';

export interface DebounceBatchesOptions {
  clock: Clock;
  /**
   * Flush once nothing happened for this long — no file event and no raw file-system activity
   * (`touch`) — while the batch looks like a single save: one path, a few events. Raw activity
   * arrives within a millisecond of every write, so this can be short: a save is acted on this long
   * after its event. @default 15
   */
  quietMs?: number;
  /**
   * The quiet period once the batch looks like a burst (a second path, or more than a save's few
   * events): a `git checkout`, a formatter or a generator writing many files may pause between them,
   * longer on a loaded machine, and splitting it would restart twice. @default 100
   */
  burstQuietMs?: number;
  /** Flush at the latest this long after the first event, even while events keep coming. @default 500 */
  maxWaitMs?: number;
  /**
   * How long after a flush a `change` of a path in that batch, with no raw activity on it since, is
   * dropped as a replay: chokidar reports a file's first write at once and the last of a burst of
   * writes to it up to 50 ms later, when the flushed batch has already acted on it. @default 150
   */
  replayWindowMs?: number;
  onBatch: (batch: FileBatch) => void;
  /**
   * The first file event of a batch, at once: what it will surely act on can begin (a process that
   * will be restarted can be stopped) while the batch settles.
   */
  onOpen?: (change: FileChange) => void;
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
  const burstQuietMs = options.burstQuietMs ?? 100;
  const maxWaitMs = options.maxWaitMs ?? 500;
  const replayWindowMs = options.replayWindowMs ?? 150;
  const closed = new AbortController();
  let pending = new Map<string, Pending>();
  let firstAt = 0;
  let lastAt = 0;
  let lastActiveAt = 0;
  let waiting = false;
  /** What the open batch has seen: one path and a few events are a save, anything more a burst. */
  let events = 0;
  let firstPath: string | undefined;
  let burst = false;
  const quiet = (): number => (burst ? burstQuietMs : quietMs);
  /** Paths of recent batches not written since they flushed, and until when a `change` is a replay. */
  const settled = new Map<string, number>();

  const wait = async (): Promise<void> => {
    const openedAt = clock.now();
    for (;;) {
      const deadline = Math.min(lastActiveAt + quiet(), openedAt + maxWaitMs);
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        // A busy event loop runs due timers before it reads the file events queued meanwhile: read
        // them first, so a burst still being written is not cut in two. Two turns: a writer in this
        // process resumed in the same turn writes after our first look, and its events arrive in the
        // next turn's poll.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (closed.signal.aborted) return;
        if (Math.min(lastActiveAt + quiet(), openedAt + maxWaitMs) <= clock.now()) break;
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

  const activity = (at: number, path: string | undefined): void => {
    lastActiveAt = clock.now();
    if (!waiting) {
      events = 0;
      firstPath = path;
      burst = false;
    }
    events++;
    firstPath ??= path;
    if (events > SAVE_EVENTS || (path !== undefined && path !== firstPath)) burst = true;
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
      const opens = pending.size === 1;
      activity(change.at, change.path);
      lastAt = change.at;
      if (opens && previous === undefined && options.onOpen) {
        try {
          options.onOpen(change);
        } catch (error) {
          options.onError(error);
        }
      }
    },
    touch(path) {
      if (closed.signal.aborted) return;
      if (path === undefined) settled.clear();
      else settled.delete(path);
      activity(clock.now(), path);
    },
    close() {
      closed.abort();
      pending = new Map();
    },
  };
}

/**
 * The most events (raw activity and chokidar's) one editor save makes on its file: a write is one or
 * two of each; vim's backup-and-rename dance a few more.
 */
const SAVE_EVENTS = 8;

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
