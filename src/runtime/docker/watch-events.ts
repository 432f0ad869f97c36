import type Docker from 'dockerode';
import type { EventsOptions } from '../container-runtime.js';
import { engineUnreachableError } from '../runtime-errors.js';
import type { EngineEvent } from '../runtime-streams.js';
import { toLabelFilters } from './label-filters.js';
import { mapDockerError } from './map-docker-error.js';
import { readJsonLines } from './read-json-lines.js';
import { type EventMessage, toEngineEvent } from './to-engine-event.js';

/**
 * Container events for labelled objects until `signal` aborts. The engine never ends this stream on
 * its own, so an end without an abort means the engine went away, and is reported as such.
 */
export async function* watchEvents(
  docker: Docker,
  options: EventsOptions,
  endpoint: string,
): AsyncGenerator<EngineEvent> {
  const { signal } = options;
  if (signal.aborted) return;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.getEvents({
      filters: { type: ['container'], label: toLabelFilters(options.filter) },
      ...(options.since ? { since: Math.floor(options.since.getTime() / 1000) } : {}),
      abortSignal: signal,
    } as Docker.GetEventsOptions);
  } catch (error) {
    if (signal.aborted) return;
    throw mapDockerError(error, { action: 'watch events', endpoint });
  }
  try {
    for await (const message of readJsonLines(stream) as AsyncIterable<EventMessage>) {
      const event = toEngineEvent(message);
      if (event) yield event;
    }
  } catch (error) {
    if (signal.aborted) return;
    throw mapDockerError(error, { action: 'watch events', endpoint });
  } finally {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  if (!signal.aborted) throw engineUnreachableError(endpoint, 'the event stream ended');
}
