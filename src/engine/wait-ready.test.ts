import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { type ReadinessHints, waitReady } from './wait-ready.js';

async function exitedContainer(runtime: FakeRuntime): Promise<string> {
  const { id } = await runtime.createContainer({ name: 'api-1', image: 'node:24', labels: {} });
  const container = runtime.containers.get(id);
  if (container === undefined) throw new Error('no container');
  Object.assign(container, { state: 'exited', exitCode: 3 });
  return id;
}

describe('waitReady', () => {
  const options = (runtime: FakeRuntime, containerId: string) => ({
    runtime,
    clock: new FakeClock(),
    name: 'api',
    containerId,
    readiness: undefined,
    ports: [],
    signal: new AbortController().signal,
  });

  it('fails fast when the container exits, pointing at the local commands by default', async () => {
    const runtime = new FakeRuntime({ images: ['node:24'] });
    const id = await exitedContainer(runtime);
    await expect(waitReady(options(runtime, id))).rejects.toMatchObject({
      code: 'CONTAINER_EXITED',
      message: expect.stringContaining('api exited with code 3 before it was ready.'),
      hint: 'Read its output with `devenv logs api`, fix the cause, then run `devenv up` again.',
    });
  });

  it('gives the hints its caller names (a preview names its own commands)', async () => {
    const runtime = new FakeRuntime({ images: ['node:24'] });
    const id = await exitedContainer(runtime);
    const hints: ReadinessHints = { exited: (name) => `see ${name} in the preview`, timedOut: () => 'slow' };
    await expect(waitReady({ ...options(runtime, id), hints })).rejects.toMatchObject({
      hint: 'see api in the preview',
    });
  });
});
