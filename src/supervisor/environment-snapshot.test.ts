import { describe, expect, it } from 'vitest';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { applyEvent, emptySnapshot } from './environment-snapshot.js';
import { EnvironmentStore } from './environment-store.js';

const resource = (
  at: number,
  state: 'pending' | 'starting' | 'ready' | 'crashed' | 'restarting',
): EnvironmentEvent => ({
  type: 'resource',
  at,
  name: 'db',
  kind: 'dependency',
  state,
});

describe('applyEvent', () => {
  it('adds resources in event order and tracks when their state began', () => {
    let snapshot = emptySnapshot('shop', 'default');
    snapshot = applyEvent(snapshot, resource(1, 'pending'));
    snapshot = applyEvent(snapshot, resource(5, 'starting'));
    snapshot = applyEvent(snapshot, resource(9, 'ready'));
    expect(snapshot.resources).toEqual([
      { name: 'db', kind: 'dependency', state: 'ready', ports: [], restarts: 0, since: 9 },
    ]);
  });

  it('drops the resources devenv.yaml no longer has', () => {
    let snapshot = applyEvent(emptySnapshot('shop', 'default'), resource(1, 'ready'));
    snapshot = applyEvent(snapshot, {
      type: 'resource',
      at: 2,
      name: 'web',
      kind: 'service',
      state: 'crashed',
    });
    snapshot = applyEvent(snapshot, { type: 'removed', at: 3, names: ['web'] });
    expect(snapshot.resources.map((r) => r.name)).toEqual(['db']);
  });

  it('counts a restart once per return from ready or crashed', () => {
    let snapshot = emptySnapshot('shop', 'default');
    for (const [at, state] of [
      [1, 'ready'],
      [2, 'restarting'],
      [3, 'starting'],
      [4, 'ready'],
      [5, 'crashed'],
      [6, 'starting'],
    ] as const) {
      snapshot = applyEvent(snapshot, resource(at, state));
    }
    expect(snapshot.resources[0]?.restarts).toBe(2);
  });

  it('shows pull progress as the pulling state', () => {
    const snapshot = applyEvent(emptySnapshot('shop', 'default'), {
      type: 'pull-progress',
      at: 1,
      name: 'db',
      image: 'postgres:17',
      currentBytes: 10,
      totalBytes: 100,
      layersDone: 1,
      layersTotal: 4,
    });
    expect(snapshot.resources[0]?.state).toBe('pulling');
    expect(snapshot.resources[0]?.pull).toEqual({
      currentBytes: 10,
      totalBytes: 100,
      layersDone: 1,
      layersTotal: 4,
    });
  });
});

describe('EnvironmentStore', () => {
  it('notifies subscribers with the new snapshot until they unsubscribe', () => {
    const store = new EnvironmentStore(emptySnapshot('shop', 'default'));
    const seen: string[] = [];
    const unsubscribe = store.subscribe((event, snapshot) => seen.push(`${event.type}:${snapshot.state}`));
    store.dispatch({ type: 'environment', at: 1, state: 'ready' });
    unsubscribe();
    store.dispatch({ type: 'environment', at: 2, state: 'stopping' });
    expect(seen).toEqual(['environment:ready']);
    expect(store.getSnapshot().state).toBe('stopping');
  });
});
