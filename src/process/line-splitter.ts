import { StringDecoder } from 'node:string_decoder';

/** @default 16384: longer lines are cut into pieces, like the Docker engine does, so memory stays bounded. */
export const DEFAULT_MAX_LINE_LENGTH = 16_384;

/**
 * Turns a byte stream into lines. Chunks split lines (and multi-byte characters) anywhere, so the
 * partial tail is kept until its newline arrives or the stream ends.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #maxLength: number;
  #partial = '';

  constructor(maxLength = DEFAULT_MAX_LINE_LENGTH) {
    this.#maxLength = maxLength;
  }

  /** The complete lines that `chunk` finishes, without their line endings. */
  push(chunk: Buffer | string): string[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    const lines: string[] = [];
    for (const part of parts) this.#cap(stripCarriageReturn(part), lines);
    // A process that prints without newlines must not make us buffer forever.
    while (this.#partial.length >= this.#maxLength) {
      lines.push(this.#partial.slice(0, this.#maxLength));
      this.#partial = this.#partial.slice(this.#maxLength);
    }
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    const lines: string[] = [];
    if (rest !== '') this.#cap(stripCarriageReturn(rest), lines);
    return lines;
  }

  #cap(line: string, into: string[]): void {
    if (line.length <= this.#maxLength) {
      into.push(line);
      return;
    }
    for (let start = 0; start < line.length; start += this.#maxLength) {
      into.push(line.slice(start, start + this.#maxLength));
    }
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
