import { LineSplitter } from './line-splitter.js';

/**
 * The engine's progress and event streams are newline-delimited JSON; chunk boundaries fall anywhere.
 * A line that is not JSON means the stream is not what we think it is, so it fails loudly.
 */
export async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<unknown> {
  const splitter = new LineSplitter();
  for await (const chunk of stream) {
    for (const line of splitter.push(chunk)) if (line.trim() !== '') yield JSON.parse(line);
  }
  for (const line of splitter.end()) if (line.trim() !== '') yield JSON.parse(line);
}
