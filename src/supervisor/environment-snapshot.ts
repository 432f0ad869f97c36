import type { EnvironmentEvent, PortBinding } from '../events/environment-event.js';
import type { ResourceKind, ResourceState } from '../events/resource-state.js';

/** One dependency or service as `devenv status` and the UI show it. */
export interface ResourceStatus {
  name: string;
  kind: ResourceKind;
  state: ResourceState;
  detail?: string;
  ports: readonly PortBinding[];
  /** How often it went back to `restarting`/`starting` after having been ready or crashed. */
  restarts: number;
  /** When the current state began (ms since the epoch). */
  since: number;
  lastLines?: readonly string[];
  /** The last edit-to-serving time: file event → ready again, in milliseconds. */
  lastReloadMs?: number;
  /** Stopped after ending with exit code 0: a one-shot task that did its job (not "not ready"). */
  completed?: boolean;
  pull?: { currentBytes: number; totalBytes: number; layersDone: number; layersTotal: number };
  /** The latest CPU/memory sample, present only while a client asked for metrics. */
  usage?: { cpuPercent: number; memoryBytes: number; at: number };
}

/** Where `up` wants every resource: ready, or a one-shot task that completed. */
export function isSettled(resource: ResourceStatus): boolean {
  return resource.state === 'ready' || (resource.state === 'stopped' && resource.completed === true);
}

export type EnvironmentState = 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

/** The whole observable state of one environment; immutable, replaced on every event. */
export interface EnvironmentSnapshot {
  project: string;
  env: string;
  state: EnvironmentState;
  detail?: string;
  resources: readonly ResourceStatus[];
}

export function emptySnapshot(project: string, env: string): EnvironmentSnapshot {
  return { project, env, state: 'starting', resources: [] };
}

/** Pure reducer: the only way a snapshot changes. Unknown resources are added in event order. */
export function applyEvent(snapshot: EnvironmentSnapshot, event: EnvironmentEvent): EnvironmentSnapshot {
  switch (event.type) {
    case 'environment':
      return { ...snapshot, state: event.state, ...optional('detail', event.detail) };
    case 'resource':
      return updateResource(snapshot, event.name, event.kind, (previous) => {
        const comesBack =
          (event.state === 'restarting' || event.state === 'starting') &&
          (previous?.state === 'ready' || previous?.state === 'crashed');
        const next: ResourceStatus = {
          name: event.name,
          kind: event.kind,
          state: event.state,
          ports: event.ports ?? previous?.ports ?? [],
          restarts:
            event.restarts ??
            (previous?.restarts ?? 0) + (comesBack && previous?.state !== 'restarting' ? 1 : 0),
          since: previous?.state === event.state ? previous.since : event.at,
          ...optional('detail', event.detail),
          ...optional('lastLines', event.lastLines),
          ...optional('lastReloadMs', event.reloadMs ?? previous?.lastReloadMs),
          ...optional('completed', event.state === 'stopped' ? event.completed : undefined),
        };
        return next;
      });
    case 'pull-progress':
      return updateResource(snapshot, event.name, 'dependency', (previous) => ({
        ...(previous ?? { name: event.name, kind: 'dependency', ports: [], restarts: 0, since: event.at }),
        state: 'pulling',
        pull: {
          currentBytes: event.currentBytes,
          totalBytes: event.totalBytes,
          layersDone: event.layersDone,
          layersTotal: event.layersTotal,
        },
      }));
    case 'metrics': {
      const byName = new Map(event.usage.map((usage) => [usage.name, usage]));
      const resources = snapshot.resources.map((resource) => {
        const usage = byName.get(resource.name);
        if (usage === undefined) {
          // Not sampled (stopped, crashed): an old figure would claim it still uses something.
          const { usage: _dropped, ...rest } = resource;
          return resource.usage === undefined ? resource : rest;
        }
        return {
          ...resource,
          usage: { cpuPercent: usage.cpuPercent, memoryBytes: usage.memoryBytes, at: event.at },
        };
      });
      return { ...snapshot, resources };
    }
    case 'removed': {
      const removed = new Set(event.names);
      return { ...snapshot, resources: snapshot.resources.filter((resource) => !removed.has(resource.name)) };
    }
    case 'plan':
    case 'error':
    case 'log':
      return snapshot;
  }
}

function updateResource(
  snapshot: EnvironmentSnapshot,
  name: string,
  kind: ResourceKind,
  update: (previous: ResourceStatus | undefined) => ResourceStatus,
): EnvironmentSnapshot {
  const index = snapshot.resources.findIndex((resource) => resource.name === name);
  const previous = index === -1 ? undefined : snapshot.resources[index];
  const next = update(previous ?? undefined);
  const resources =
    index === -1
      ? [...snapshot.resources, { ...next, kind }]
      : snapshot.resources.map((resource, i) => (i === index ? next : resource));
  return { ...snapshot, resources };
}

/** Spreads `{ key: value }` only when value is defined, so snapshots never carry `undefined` fields. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
