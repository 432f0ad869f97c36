import type { EnvironmentEvent } from '../events/environment-event.js';
import { applyEvent, type EnvironmentSnapshot } from '../supervisor/environment-snapshot.js';
import { handleKey, type KeyPress, type UiCommand } from './key-controller.js';
import { LogLines } from './log-lines.js';
import { initialUiState, type Notice, type UiState } from './ui-state.js';
import { buildView, isBusy, nextTickIn, type TuiView, type ViewContext } from './view-model.js';

/** Timers, injected so tests drive batching without waiting. */
export interface Scheduler {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** How long events gather before a redraw; a key press redraws at once. */
export const BATCH_MS = 80;

/**
 * While events keep coming (a chatty service), redraws are at least this far apart: ~7 a second is as
 * fast as anyone reads a scrolling log, and each redraw costs the UI a whole frame.
 */
export const STREAM_MS = 150;

/**
 * How long a change that only moves a figure (CPU and memory samples, an uptime rolling over to the
 * next minute) may wait for a redraw. Any other change in that time draws it too, so an idle screen
 * with a service logging now and then redraws once per line, not once per line plus once per sample:
 * a redraw is the UI's main cost (ink rebuilds the whole frame).
 */
export const LAZY_MS = 5_000;

export interface TuiModelOptions {
  snapshot: EnvironmentSnapshot;
  context: Omit<ViewContext, 'columns' | 'rows' | 'now'>;
  size: { columns: number; rows: number };
  scheduler?: Scheduler;
  logCapacity?: number;
}

/**
 * The TUI's state outside React: the supervisor's snapshot (reduced from pushed events with the same
 * pure reducer the supervisor uses), the scroll-back, the user's UI state and the terminal size. It
 * publishes a new view only when the screen would differ, batched while events stream in, and ticks
 * only when a displayed counter rolls over — idle, it does nothing at all.
 */
export class TuiModel {
  #snapshot: EnvironmentSnapshot;
  #ui: UiState = initialUiState;
  readonly #logs: LogLines;
  readonly #context: TuiModelOptions['context'];
  #size: { columns: number; rows: number };
  readonly #scheduler: Scheduler;
  #view: TuiView;
  #viewKey = '';
  #pending: unknown;
  /** When the pending flush runs (scheduler time). */
  #pendingAt = 0;
  /** When the view was last published (scheduler time). */
  #publishedAt = Number.NEGATIVE_INFINITY;
  #tick: unknown;
  readonly #listeners = new Set<() => void>();
  #renders = 0;

  constructor(options: TuiModelOptions) {
    this.#snapshot = options.snapshot;
    this.#context = options.context;
    this.#size = options.size;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#logs = new LogLines(options.logCapacity);
    this.#view = this.#compute();
    this.#viewKey = JSON.stringify(this.#view);
    this.#scheduleTick();
  }

  getView = (): TuiView => this.#view;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  get snapshot(): EnvironmentSnapshot {
    return this.#snapshot;
  }

  /** Views published so far (the benchmark and tests read it). */
  get renders(): number {
    return this.#renders;
  }

  /**
   * Every pushed event; the redraw follows BATCH_MS later (STREAM_MS after the last one while events
   * stream in), or LAZY_MS later for a new usage sample.
   */
  apply(event: EnvironmentEvent): void {
    if (event.type === 'log') {
      this.#logs.add({ at: event.at, name: event.name, stream: event.stream, text: event.text });
    } else {
      this.#snapshot = applyEvent(this.#snapshot, event);
    }
    const soonest = Math.max(BATCH_MS, this.#publishedAt + STREAM_MS - this.#scheduler.now());
    this.#flushWithin(event.type === 'metrics' ? Math.max(LAZY_MS, soonest) : soonest);
  }

  /** A key press: the new UI state is drawn at once; a command is returned for the caller to run. */
  press(key: KeyPress): UiCommand | undefined {
    const { state, command } = handleKey(this.#ui, key, {
      snapshot: this.#snapshot,
      urls: this.#context.urls,
      newestLog: this.#logs.total - 1,
      pageSize: Math.max(1, this.#view.logLines.length - 1),
    });
    this.#ui = state;
    this.flush();
    return command;
  }

  notify(notice: Notice | undefined): void {
    this.#ui = { ...this.#ui, notice };
    this.flush();
  }

  resize(size: { columns: number; rows: number }): void {
    this.#size = size;
    this.flush();
  }

  /** Recomputes the view and publishes it if anything on screen changed. */
  flush(): void {
    this.#cancelPending();
    const view = this.#compute();
    const key = JSON.stringify(view);
    if (key !== this.#viewKey) {
      this.#view = view;
      this.#viewKey = key;
      this.#renders++;
      this.#publishedAt = this.#scheduler.now();
      for (const listener of this.#listeners) listener();
    }
    this.#scheduleTick();
  }

  dispose(): void {
    this.#cancelPending();
    if (this.#tick !== undefined) this.#scheduler.clearTimeout(this.#tick);
    this.#tick = undefined;
  }

  /** Makes sure a flush runs at most `ms` from now: an earlier one is kept, a later one brought forward. */
  #flushWithin(ms: number): void {
    const at = this.#scheduler.now() + ms;
    if (this.#pending !== undefined && this.#pendingAt <= at) return;
    this.#cancelPending();
    this.#pendingAt = at;
    this.#pending = this.#scheduler.setTimeout(() => {
      this.#pending = undefined;
      this.flush();
    }, ms);
  }

  #cancelPending(): void {
    if (this.#pending !== undefined) this.#scheduler.clearTimeout(this.#pending);
    this.#pending = undefined;
  }

  #compute(): TuiView {
    return buildView(this.#snapshot, this.#ui, this.#logs.all(), {
      ...this.#context,
      ...this.#size,
      now: this.#scheduler.now(),
    });
  }

  #scheduleTick(): void {
    if (this.#tick !== undefined) this.#scheduler.clearTimeout(this.#tick);
    const busy = isBusy(this.#snapshot);
    this.#tick = this.#scheduler.setTimeout(() => {
      this.#tick = undefined;
      // A starting resource's elapsed seconds are what the user watches; an uptime's minute can wait.
      if (busy) this.flush();
      else this.#flushWithin(LAZY_MS);
    }, nextTickIn(this.#snapshot, this.#scheduler.now()) + 5);
  }
}
