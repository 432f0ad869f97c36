import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into complete lines. Chunks may end mid-line or mid-character (UTF-8), so both
 * the partial line and the partial character are carried over to the next chunk.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  push(chunk: Buffer | string): string[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    return parts.map(stripCarriageReturn);
  }

  /** The last line if the stream did not end with a newline. */
  end(): string[] {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }
}

// Output written through a TTY ends lines with \r\n.
function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
