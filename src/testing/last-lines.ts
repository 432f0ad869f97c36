import type { Readable } from 'node:stream';

/** How many of a container's last lines a failure shows (as `devenv up` does). */
export const LAST_LINES = 15;

/** Reads a finished log stream (testcontainers' `logs({ tail })` of a stopped container ends by itself). */
export async function readLines(stream: Readable): Promise<string[]> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .slice(-LAST_LINES);
}

/** `\nLast lines of NAME:\n  │ …`, or '' when it printed nothing. */
export function describeLines(name: string, lines: readonly string[]): string {
  return lines.length === 0
    ? ''
    : `\nLast lines of ${name}:\n${lines.map((line) => `  │ ${line}`).join('\n')}`;
}
