import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDemuxer } from './demux-frames.js';

const frame = (stream: 1 | 2, text: string) => encodeFrame(stream === 1 ? 'stdout' : 'stderr', text);

describe('FrameDemuxer', () => {
  it('splits whole frames by stream', () => {
    const frames = new FrameDemuxer().push(Buffer.concat([frame(1, 'out'), frame(2, 'err')]));
    expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([
      ['stdout', 'out'],
      ['stderr', 'err'],
    ]);
  });

  it('keeps a frame cut anywhere, even inside its header, until it is whole', () => {
    const bytes = Buffer.concat([frame(1, 'hello'), frame(2, 'world')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const demuxer = new FrameDemuxer();
      const frames = [...demuxer.push(bytes.subarray(0, cut)), ...demuxer.push(bytes.subarray(cut))];
      expect(frames.map((f) => f.data.toString())).toEqual(['hello', 'world']);
      expect(demuxer.pendingBytes).toBe(0);
    }
  });

  it('accepts empty frames and reports an unfinished one', () => {
    const demuxer = new FrameDemuxer();
    expect(demuxer.push(frame(1, ''))).toHaveLength(1);
    demuxer.push(frame(1, 'abc').subarray(0, 9));
    expect(demuxer.pendingBytes).toBe(9);
  });
});
