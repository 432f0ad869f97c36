import { afterEach, describe, expect, it } from 'vitest';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { DeliberateStops } from './deliberate-stops.js';
import { watchContainers } from './watch-containers.js';

const labels = {
  'devenv.project': 'shop',
  'devenv.env': 'default',
  'devenv.name': 'api',
  'devenv.kind': 'service',
};
const stops: AbortController[] = [];
afterEach(() => {
  for (const controller of stops.splice(0)) controller.abort();
});

/** A running container `api`, the supervisor's view of the runtime, and what the watcher dispatched. */
async function watching() {
  const engine = new FakeRuntime({ images: ['api:1'] });
  const deliberate = new DeliberateStops();
  const runtime = deliberate.track(engine);
  const { id } = await engine.createContainer({ name: 'shop-default-api', image: 'api:1', labels });
  await engine.startContainer(id);
  const events: EnvironmentEvent[] = [];
  const controller = new AbortController();
  stops.push(controller);
  void watchContainers({
    runtime,
    filter: { 'devenv.project': 'shop' },
    clock: new FakeClock(),
    dispatch: (event) => events.push(event),
    signal: controller.signal,
    deliberate,
  });
  // The watcher subscribes on its first turn.
  await settle();
  const crashes = () =>
    events.flatMap((event) => (event.type === 'resource' && event.state === 'crashed' ? [event.detail] : []));
  return { engine, runtime, id, crashes };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchContainers', () => {
  it('reports a container that dies on its own as crashed, with its exit code', async () => {
    const { engine, id, crashes } = await watching();
    engine.crash(id, 137);
    await settle();
    expect(crashes()).toEqual(['exited with code 137']);
  });

  it('does not take a stop devenv asked for for a crash, even when the process was killed after the timeout', async () => {
    const { engine, runtime, id, crashes } = await watching();
    engine.stopExitCode = 137;
    // A restart: stopped and started again; a crash after that is one.
    await runtime.stopContainer(id, 2);
    await runtime.startContainer(id);
    await settle();
    expect(crashes()).toEqual([]);
    engine.crash(id, 1);
    await settle();
    expect(crashes()).toEqual(['exited with code 1']);
  });

  it('does not take a recreate (stop, then forced removal) for a crash', async () => {
    const { runtime, id, crashes } = await watching();
    await runtime.removeContainer(id, { force: true });
    await settle();
    expect(crashes()).toEqual([]);
  });
});
