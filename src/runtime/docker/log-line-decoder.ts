import type { LogLine } from '../runtime-streams.js';
import { FrameDemuxer } from './demux-frames.js';
import { LineSplitter } from './line-splitter.js';

/**
 * Decodes the bytes of a logs response (requested with `timestamps: true`) into lines. A container
 * with a TTY sends raw bytes (all of it "stdout"); without one, the stream is multiplexed.
 */
export class LogLineDecoder {
  readonly #demuxer: FrameDemuxer | undefined;
  readonly #splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(options: { multiplexed: boolean }) {
    this.#demuxer = options.multiplexed ? new FrameDemuxer() : undefined;
  }

  push(chunk: Buffer): LogLine[] {
    const frames = this.#demuxer ? this.#demuxer.push(chunk) : [{ stream: 'stdout' as const, data: chunk }];
    return frames.flatMap((frame) =>
      this.#splitters[frame.stream].push(frame.data).map((line) => parseTimestamped(line, frame.stream)),
    );
  }

  end(): LogLine[] {
    return (['stdout', 'stderr'] as const).flatMap((stream) =>
      this.#splitters[stream].end().map((line) => parseTimestamped(line, stream)),
    );
  }
}

/** `2024-05-01T10:00:00.123456789Z text` → a line; lines without a timestamp keep the whole text. */
export function parseTimestamped(line: string, stream: LogLine['stream']): LogLine {
  const space = line.indexOf(' ');
  const stamp = space > 0 ? line.slice(0, space) : line;
  const time = /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(stamp) ? new Date(stamp) : undefined;
  if (!time || Number.isNaN(time.getTime())) return { stream, text: line, timestamp: new Date() };
  return { stream, text: space > 0 ? line.slice(space + 1) : '', timestamp: time };
}
