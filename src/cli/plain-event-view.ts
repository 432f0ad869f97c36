import type { EnvironmentEvent } from '../events/environment-event.js';

const PULL_LINE_EVERY_MS = 2_000;

/**
 * The non-TTY view (CI, pipes, `--no-ui`): one timestamped line per
 * meaningful event. Repeated "still waiting" updates and fine-grained pull progress are thinned out so
 * a log stays readable.
 */
export function createPlainEventView(
  write: (line: string) => void,
  { logs }: { logs: boolean } = { logs: true },
): (event: EnvironmentEvent) => void {
  const lastState = new Map<string, string>();
  const lastPull = new Map<string, number>();
  return (event) => {
    if (event.type === 'log' && !logs) return;
    const line = formatEvent(event, lastState, lastPull);
    if (line !== undefined) write(`${clock(event.at)} ${line}\n`);
  };
}

function formatEvent(
  event: EnvironmentEvent,
  lastState: Map<string, string>,
  lastPull: Map<string, number>,
): string | undefined {
  switch (event.type) {
    case 'plan':
      return event.steps.length === 0 ? undefined : `plan: ${event.steps.join('; ')}`;
    case 'environment':
      return `environment ${event.state}${event.detail ? `: ${event.detail}` : ''}`;
    case 'error':
      return `error ${event.error.message}`;
    case 'metrics':
      // Only a TUI asks for them; a line every five seconds would bury everything else.
      return undefined;
    case 'log':
      return `${pad(event.name)} | ${event.text}`;
    case 'removed':
      return event.names.map((name) => `${pad(name)} removed (no longer in devenv.yaml)`).join('\n');
    case 'pull-progress': {
      const last = lastPull.get(event.name) ?? 0;
      const done = event.totalBytes > 0 && event.currentBytes >= event.totalBytes;
      if (event.at - last < PULL_LINE_EVERY_MS && !done) return undefined;
      lastPull.set(event.name, event.at);
      return `${pad(event.name)} pulling ${event.image} ${megabytes(event.currentBytes)}/${megabytes(event.totalBytes)} MB (${event.layersDone}/${event.layersTotal} layers)`;
    }
    case 'resource': {
      // "still waiting (4s)" repeats every probe interval; print a state once, failures always.
      const key = `${event.state}:${event.detail?.replace(/\(\d+s\)$/, '') ?? ''}`;
      if (lastState.get(event.name) === key && event.state !== 'failed' && event.state !== 'crashed')
        return undefined;
      lastState.set(event.name, key);
      // Port 0 means "the engine chooses" (previews): the model does not know the bound port, so say nothing.
      const bound = event.ports?.filter((p) => p.host !== 0) ?? [];
      const ports =
        event.state === 'ready' && bound.length > 0
          ? ` ${bound.map((p) => `127.0.0.1:${p.host}`).join(' ')}`
          : '';
      const detail = event.detail ? ` ${event.detail}` : '';
      const reload =
        event.state === 'ready' && event.reloadMs !== undefined ? ` (reloaded in ${event.reloadMs} ms)` : '';
      const lines = event.lastLines?.length ? `\n${event.lastLines.map((l) => `    │ ${l}`).join('\n')}` : '';
      return `${pad(event.name)} ${event.state}${ports}${reload}${detail}${lines}`;
    }
  }
}

const pad = (name: string): string => name.padEnd(10);
const megabytes = (bytes: number): string => (bytes / 1_000_000).toFixed(1);

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}
