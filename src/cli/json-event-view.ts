import type { EnvironmentEvent } from '../events/environment-event.js';

/**
 * `--json`: every event exactly as the supervisor published it, one JSON object per line (the schema
 * is `EnvironmentEvent`, documented in docs/cli.md). Nothing is thinned out: tools decide.
 */
export function createJsonEventView(write: (line: string) => void): (event: EnvironmentEvent) => void {
  return (event) => write(`${JSON.stringify(event)}\n`);
}
