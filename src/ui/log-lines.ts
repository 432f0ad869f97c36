/** One line of a service's output as the TUI keeps it. */
export interface LogEntry {
  seq: number;
  at: number;
  name: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export const LOG_CAPACITY = 10_000;

/**
 * The TUI's scroll-back: the newest `capacity` lines. Trimming happens in chunks so a service writing
 * thousands of lines a second costs an amortised O(1) per line, not an array shift each.
 */
export class LogLines {
  readonly #capacity: number;
  #entries: LogEntry[] = [];
  #seq = 0;

  constructor(capacity = LOG_CAPACITY) {
    this.#capacity = capacity;
  }

  add(line: Omit<LogEntry, 'seq'>): void {
    this.#entries.push({ ...line, seq: this.#seq++ });
    if (this.#entries.length > this.#capacity + Math.ceil(this.#capacity / 10)) {
      this.#entries = this.#entries.slice(-this.#capacity);
    }
  }

  /** Oldest first, at most `capacity` lines. */
  all(): readonly LogEntry[] {
    const extra = this.#entries.length - this.#capacity;
    return extra > 0 ? this.#entries.slice(extra) : this.#entries;
  }

  /** Every line ever added, including those dropped (a paused pane counts what arrived since). */
  get total(): number {
    return this.#seq;
  }
}
