/** One frame of the engine's multiplexed stdout/stderr stream. */
export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

const HEADER_BYTES = 8;

/**
 * Splits the engine's multiplexed stream (used for logs and exec of containers without a TTY) into
 * frames: an 8-byte header (stream type, 3 zero bytes, big-endian payload length) then the payload.
 * Network chunks cut anywhere, including inside a header, so bytes are kept until a frame is whole.
 */
export class FrameDemuxer {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    let offset = 0;
    while (this.#pending.length - offset >= HEADER_BYTES) {
      const size = this.#pending.readUInt32BE(offset + 4);
      const end = offset + HEADER_BYTES + size;
      if (end > this.#pending.length) break;
      // Type 0 (stdin echo) only appears with a TTY-less attach; it belongs with the output.
      const stream = this.#pending[offset] === 2 ? 'stderr' : 'stdout';
      frames.push({ stream, data: this.#pending.subarray(offset + HEADER_BYTES, end) });
      offset = end;
    }
    this.#pending = this.#pending.subarray(offset);
    return frames;
  }

  /** Bytes of an incomplete trailing frame (non-zero only if the stream was cut mid-frame). */
  get pendingBytes(): number {
    return this.#pending.length;
  }
}

/** The inverse of `FrameDemuxer`: one frame as the engine writes it (for tests and fakes of the engine). */
export function encodeFrame(stream: 'stdout' | 'stderr', data: string | Buffer): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = stream === 'stderr' ? 2 : 1;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
