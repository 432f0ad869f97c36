/** One line of a service's output as kept by the supervisor. */
export interface BufferedLogLine {
  at: number;
  name: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Lines kept per service: enough for `devenv logs` and a crash's context, bounded for memory. */
const PER_SERVICE = 2_000;

/** The recent output of the local-process services, which (unlike containers) have no engine log. */
export class LogBuffer {
  readonly #lines = new Map<string, BufferedLogLine[]>();

  add(line: BufferedLogLine): void {
    const lines = this.#lines.get(line.name) ?? [];
    lines.push({ at: line.at, name: line.name, stream: line.stream, text: line.text });
    // Trim in chunks so a chatty service does not pay an array shift per line.
    if (lines.length > PER_SERVICE * 1.25) lines.splice(0, lines.length - PER_SERVICE);
    this.#lines.set(line.name, lines);
  }

  /** Every kept line of these services (all when empty), oldest first. */
  lines(names: readonly string[]): BufferedLogLine[] {
    const wanted = names.length === 0 ? [...this.#lines.keys()] : names;
    return wanted
      .flatMap((name) => (this.#lines.get(name) ?? []).slice(-PER_SERVICE))
      .sort((a, b) => a.at - b.at);
  }
}
