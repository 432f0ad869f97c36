/** The most recent lines of output, kept to explain a crash or a failed readiness check. */
export class LastLines {
  readonly #limit: number;
  #lines: string[] = [];

  constructor(limit = 20) {
    this.#limit = limit;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#limit * 2) this.#lines = this.#lines.slice(-this.#limit);
  }

  toArray(): readonly string[] {
    return this.#lines.slice(-this.#limit);
  }

  clear(): void {
    this.#lines = [];
  }
}
