import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { applyEvent, emptySnapshot } from './environment-snapshot.js';
import { UsageSampler } from './usage-sampler.js';

const { environment } = resolveText(`
name: shop
dependencies:
  cache:
    preset: redis
services:
  api:
    run: node server.js
    port: 3000
`);

const setup = async () => {
  if (!environment) throw new Error('fixture did not resolve');
  const runtime = new FakeRuntime({ images: ['redis:8'] });
  const cacheName = environment.dependencies[0]?.containerName ?? '';
  const { id } = await runtime.createContainer({ name: cacheName, image: 'redis:8', labels: {} });
  await runtime.startContainer(id);
  const clock = new FakeClock();
  const events: EnvironmentEvent[] = [];
  const sampler = new UsageSampler({
    runtime,
    clock,
    environment: () => environment,
    // This test process stands in for the service's process group.
    pidOf: (name) => (name === 'api' ? process.pid : undefined),
    emit: (event) => events.push(event),
    log: () => undefined,
  });
  return { runtime, clock, events, sampler, cacheName };
};

describe('UsageSampler', () => {
  it('reads containers from the engine and local processes from their process tree, CPU between readings', async () => {
    const { runtime, sampler, cacheName } = await setup();
    runtime.statsByName.set(cacheName, { cpuNs: 1e9, systemCpuNs: 100e9, onlineCpus: 2, memoryBytes: 8e6 });
    const first = await sampler.sample();
    expect(first.find((usage) => usage.name === 'cache')).toEqual({
      name: 'cache',
      cpuPercent: 0,
      memoryBytes: 8e6,
    });
    runtime.statsByName.set(cacheName, { cpuNs: 2e9, systemCpuNs: 110e9, onlineCpus: 2, memoryBytes: 9e6 });
    const second = await sampler.sample();
    expect(second.find((usage) => usage.name === 'cache')).toEqual({
      name: 'cache',
      cpuPercent: 20,
      memoryBytes: 9e6,
    });
    if (process.platform === 'linux') {
      expect(second.find((usage) => usage.name === 'api')?.memoryBytes).toBeGreaterThan(0);
    }
  });

  it('samples only while someone holds a lease', async () => {
    const { runtime, clock, events, sampler } = await setup();
    const statsCalls = () => runtime.calls.filter((call) => call.method === 'stats').length;
    expect(statsCalls()).toBe(0);
    const release = sampler.lease();
    await clock.advance(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter((event) => event.type === 'metrics')).toHaveLength(1);
    release();
    const before = statsCalls();
    await clock.advance(10_000);
    expect(statsCalls()).toBe(before);
  });

  it('is reduced into the snapshot, and an unsampled resource loses its old figures', () => {
    let snapshot = applyEvent(emptySnapshot('shop', 'default'), {
      type: 'resource',
      at: 1,
      name: 'cache',
      kind: 'dependency',
      state: 'ready',
    });
    snapshot = applyEvent(snapshot, {
      type: 'metrics',
      at: 2,
      usage: [{ name: 'cache', cpuPercent: 3, memoryBytes: 100 }],
    });
    expect(snapshot.resources[0]?.usage).toEqual({ cpuPercent: 3, memoryBytes: 100, at: 2 });
    snapshot = applyEvent(snapshot, { type: 'metrics', at: 3, usage: [] });
    expect(snapshot.resources[0]?.usage).toBeUndefined();
  });
});
