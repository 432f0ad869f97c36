import type { OutputLine } from './start-process.js';

/** One run of a supervised process, as a readiness check sees it. */
export interface ProcessRun {
  pid: number;
  /** When it was spawned, on the supervisor's clock. */
  startedAt: number;
  /**
   * Calls `listener` with every line of this run — first those printed so far, then each new one —
   * so a `log` check started a moment late still sees the line it waits for. Returns an unsubscribe.
   */
  onLine(listener: (line: OutputLine) => void): () => void;
}

/** Resolves once the run is ready; rejects (usually `READINESS_TIMEOUT`) when it will not be; gives up when `signal` aborts. */
export type ReadyCheck = (run: ProcessRun, signal: AbortSignal) => Promise<void>;

/** Lines replayed to late subscribers; readiness starts right after spawn, so this is plenty. */
const REPLAY_LIMIT = 1_000;

/** The output side of a `ProcessRun`: the supervisor pushes lines, readiness checks subscribe. */
export class RunOutput {
  readonly #listeners = new Set<(line: OutputLine) => void>();
  #replay: OutputLine[] = [];

  push(line: OutputLine): void {
    if (this.#replay.length < REPLAY_LIMIT) this.#replay.push(line);
    for (const listener of this.#listeners) listener(line);
  }

  onLine(listener: (line: OutputLine) => void): () => void {
    for (const line of this.#replay) listener(line);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Once ready nobody replays; stop holding the lines. */
  forgetReplay(): void {
    this.#replay = [];
  }
}
