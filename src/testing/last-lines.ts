import type { Readable } from 'node:stream';

import { LAST_LINES } from '../engine/wait-ready.js';

// As many last lines, shown the same way, as `devenv up` shows (src/engine/wait-ready.ts).
export { LAST_LINES, lastLinesText as describeLines } from '../engine/wait-ready.js';

/** Reads a finished log stream (testcontainers' `logs({ tail })` of a stopped container ends by itself). */
export async function readLines(stream: Readable): Promise<string[]> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .slice(-LAST_LINES);
}
