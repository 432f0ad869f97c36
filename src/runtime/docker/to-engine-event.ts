import type { Labels } from '../container-spec.js';
import type { ContainerHealth } from '../observed-state.js';
import type { EngineEvent } from '../runtime-streams.js';

/** One message of the engine's event stream. */
export interface EventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

// Container event attributes mix the container's labels with these engine-added keys.
const NON_LABEL_ATTRIBUTES = new Set(['name', 'image', 'exitCode', 'signal', 'execID']);

/** An engine event in devenv's terms; undefined for events about anything but containers (pure). */
export function toEngineEvent(message: EventMessage): EngineEvent | undefined {
  if (message.Type !== 'container' || !message.Action || !message.Actor?.ID) return undefined;
  // `health_status: healthy`, `exec_start: redis-cli ping`: the verb, then a detail.
  const separator = message.Action.indexOf(':');
  const action = separator < 0 ? message.Action : message.Action.slice(0, separator);
  const detail = separator < 0 ? '' : message.Action.slice(separator + 1).trim();
  const attributes = message.Actor.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes))
    if (!NON_LABEL_ATTRIBUTES.has(key)) labels[key] = value;
  const health = action === 'health_status' ? toHealth(detail) : undefined;
  return {
    type: 'container',
    action,
    id: message.Actor.ID,
    name: attributes.name ?? '',
    labels: labels as Labels,
    exitCode: attributes.exitCode === undefined ? undefined : Number(attributes.exitCode),
    health,
    time: new Date(message.timeNano ? message.timeNano / 1_000_000 : (message.time ?? 0) * 1000),
  };
}

function toHealth(detail: string): ContainerHealth | undefined {
  return detail === 'healthy' || detail === 'unhealthy' || detail === 'starting' ? detail : undefined;
}
