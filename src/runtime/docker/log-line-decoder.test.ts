import { describe, expect, it } from 'vitest';
import { encodeFrame } from './demux-frames.js';
import { LogLineDecoder, parseTimestamped } from './log-line-decoder.js';

const frame = (stream: 1 | 2, text: string) => encodeFrame(stream === 1 ? 'stdout' : 'stderr', text);
const T1 = '2026-05-01T10:00:00.123456789Z';
const T2 = '2026-05-01T10:00:01.5Z';

describe('LogLineDecoder', () => {
  it('demuxes, splits and timestamps lines cut across frames and chunks', () => {
    const bytes = Buffer.concat([
      frame(1, `${T1} first li`),
      frame(1, 'ne\n'),
      frame(2, `${T2} an error\n${T2} another\n`),
      frame(1, `${T2} unfinished`),
    ]);
    const decoder = new LogLineDecoder({ multiplexed: true });
    const lines = [
      ...decoder.push(bytes.subarray(0, 13)),
      ...decoder.push(bytes.subarray(13)),
      ...decoder.end(),
    ];
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'first line'],
      ['stderr', 'an error'],
      ['stderr', 'another'],
      ['stdout', 'unfinished'],
    ]);
    expect(lines[0]?.timestamp.toISOString()).toBe('2026-05-01T10:00:00.123Z');
  });

  it('reads a TTY container’s raw output as stdout', () => {
    const decoder = new LogLineDecoder({ multiplexed: false });
    expect(decoder.push(Buffer.from(`${T1} prompt$ \r\n`)).map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'prompt$ '],
    ]);
  });
});

describe('parseTimestamped', () => {
  it('keeps a line without a timestamp whole', () => {
    expect(parseTimestamped('no stamp here', 'stdout').text).toBe('no stamp here');
  });

  it('reads an empty line after its timestamp', () => {
    expect(parseTimestamped(`${T2} `, 'stderr')).toMatchObject({ text: '', stream: 'stderr' });
  });
});
