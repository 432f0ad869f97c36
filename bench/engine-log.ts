// Helpers for reading the engine's raw API answers in benchmarks (the bench talks to the engine
// directly, independently of devenv's own runtime, to time what devenv does).

/** Lines of a non-TTY container's multiplexed log stream (8-byte frame headers). */
export function demux(buffer: Buffer): string[] {
  const lines: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    lines.push(
      ...buffer
        .subarray(offset + 8, offset + 8 + size)
        .toString('utf8')
        .split('\n')
        .filter(Boolean),
    );
    offset += 8 + size;
  }
  return lines;
}

/** RFC 3339 with nanoseconds → ms since the epoch (Date.parse wants at most milliseconds). */
export function parseEngineTime(text: string): number | undefined {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return undefined;
  return Date.parse(`${match[1]}${match[3]}`) + Number(`0.${match[2] ?? '0'}`) * 1000;
}
