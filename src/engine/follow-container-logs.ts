import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import { RuntimeErrorCode } from '../runtime/runtime-errors.js';
import type { LogLine } from '../runtime/runtime-streams.js';
import type { Clock } from '../util/clock.js';
import { environmentFilter } from './observe-environment.js';

/** What following an environment's containers reports: a line, or a new container under a followed name. */
export type FollowedLog = { kind: 'line'; name: string; line: LogLine } | { kind: 'recreated'; name: string };

export interface FollowContainerLogsOptions {
  runtime: Pick<ContainerRuntime, 'listContainers' | 'listNetworks' | 'logs' | 'events'>;
  clock: Clock;
  project: string;
  env: string;
  /** `devenv.name`s to follow. */
  names: readonly string[];
  /** Only lines after this instant (the first containers only: a recreated one's lines are all new). */
  since?: Date;
  signal: AbortSignal;
  /** How often to look whether the environment still exists while none of the containers runs. */
  pollMs?: number;
}

/**
 * Follows the named containers of an environment through restarts and recreation (a changed
 * dependency or a rebuilt service is a new container under the same name): a container's stream ends
 * when it stops, and the engine's `start` events say where it goes on. Resolves `down` once none of
 * them runs and the environment's network is gone (`devenv down` removes it last; a recreation keeps
 * it), `aborted` when `signal` aborts.
 */
export async function followContainerLogs(
  options: FollowContainerLogsOptions,
  report: (log: FollowedLog) => void,
): Promise<'down' | 'aborted'> {
  const { runtime, clock, signal } = options;
  const filter = environmentFilter(options.project, options.env);
  const wanted = new Set(options.names);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });

  const streaming = new Set<string>();
  // Per container, the last line's time: a restarted container's stream resumes after it.
  const lastLine = new Map<string, Date>();
  const followedId = new Map<string, string>();
  let failure: { error: unknown } | undefined;
  // Wakes the loop below when the last stream ends or everything stops.
  let wake: (() => void) | undefined;
  stop.signal.addEventListener('abort', () => wake?.(), { once: true });
  const fail = (error: unknown): void => {
    failure ??= { error };
    stop.abort();
  };

  const follow = (id: string, name: string): void => {
    if (streaming.has(id) || stop.signal.aborted) return;
    const before = followedId.get(name);
    if (before !== undefined && before !== id) report({ kind: 'recreated', name });
    followedId.set(name, id);
    streaming.add(id);
    const last = lastLine.get(id);
    const since =
      last === undefined ? (before === undefined ? options.since : undefined) : new Date(last.getTime() + 1);
    void (async () => {
      try {
        for await (const line of runtime.logs(id, {
          follow: true,
          signal: stop.signal,
          ...(since ? { since } : {}),
        })) {
          lastLine.set(id, line.timestamp);
          report({ kind: 'line', name, line });
        }
      } catch (error) {
        // Removed between its event and the request: its successor's `start` event follows.
        if (!isContainerGone(error)) fail(error);
      } finally {
        streaming.delete(id);
        if (streaming.size === 0) wake?.();
      }
    })();
  };

  // Events first, from before the listing, so a container started in between is not missed (one
  // seen twice is followed once).
  const events = runtime.events({ filter, since: new Date(clock.now() - 1_000), signal: stop.signal });
  const watching = (async () => {
    for await (const event of events) {
      const name = event.labels[DevenvLabel.name];
      if (event.action === 'start' && name !== undefined && wanted.has(name)) follow(event.id, name);
    }
  })().catch(fail);

  try {
    const containers = await runtime.listContainers(filter);
    for (const container of containers) {
      const name = container.labels[DevenvLabel.name];
      if (name !== undefined && wanted.has(name)) follow(container.id, name);
    }
    while (!stop.signal.aborted) {
      if (streaming.size > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      if ((await runtime.listNetworks(filter)).length === 0) return 'down';
      await clock.sleep(options.pollMs ?? 1_000, stop.signal).catch((error: unknown) => {
        // Stopping ends the sleep early; the loop's condition handles that.
        if (!stop.signal.aborted) throw error;
      });
    }
  } catch (error) {
    fail(error);
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    await watching;
  }
  if (failure !== undefined) throw failure.error;
  return 'aborted';
}

function isContainerGone(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === RuntimeErrorCode.containerNotFound;
}
