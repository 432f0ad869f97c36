import { describe, expect, it } from 'vitest';
import { ExternalError } from '../errors/devenv-error.js';
import type { ContainerSpec } from './container-spec.js';
import { FakeRuntime } from './fake-runtime.js';
import type { EngineEvent } from './runtime-streams.js';

const labels = { 'devenv.project': 'shop', 'devenv.env': 'main', 'devenv.name': 'db' };
const spec: ContainerSpec = {
  name: 'shop-db',
  image: 'postgres:17',
  labels,
  ports: [{ container: 5432, host: 15432 }],
};

describe('FakeRuntime', () => {
  it('runs a container through its lifecycle, filtered by labels and recorded', async () => {
    const runtime = new FakeRuntime({ registry: ['postgres:17'] });
    expect(await runtime.imageExists('postgres:17')).toBe(false);
    await runtime.pullImage('postgres:17');
    const { id } = await runtime.createContainer(spec);
    await runtime.startContainer(id);

    expect(await runtime.listContainers({ 'devenv.project': 'shop', 'devenv.name': true })).toMatchObject([
      { id, state: 'running', ports: [{ container: 5432, host: 15432, hostIp: '127.0.0.1' }] },
    ]);
    expect(await runtime.listContainers({ 'devenv.project': 'other' })).toEqual([]);

    await runtime.stopContainer(id);
    await runtime.removeContainer(id);
    expect(await runtime.listContainers({})).toEqual([]);
    expect(runtime.calls.map((c) => c.method)).toEqual([
      'imageExists',
      'pullImage',
      'createContainer',
      'startContainer',
      'listContainers',
      'listContainers',
      'stopContainer',
      'removeContainer',
      'listContainers',
    ]);
  });

  it('fails like the engine: unknown image, taken name, busy port, foreign network', async () => {
    const runtime = new FakeRuntime({ images: ['postgres:17'] });
    await expect(runtime.pullImage('nope:1')).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    await expect(runtime.createContainer({ ...spec, image: 'nope:1' })).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
    await runtime.startContainer((await runtime.createContainer(spec)).id);
    await expect(runtime.createContainer(spec)).rejects.toMatchObject({ code: 'NAME_CONFLICT' });
    const second = await runtime.createContainer({ ...spec, name: 'shop-db-2' });
    await expect(runtime.startContainer(second.id)).rejects.toMatchObject({ code: 'PORT_BUSY' });
    await runtime.ensureNetwork('shop', labels);
    await expect(runtime.ensureNetwork('shop', { ...labels, 'devenv.env': 'other' })).rejects.toMatchObject({
      code: 'NAME_CONFLICT',
    });
  });

  it('fails a call when told to, once', async () => {
    const runtime = new FakeRuntime();
    const gone = new ExternalError('ENGINE_UNREACHABLE', 'engine stopped');
    runtime.failNext('listVolumes', gone);
    await expect(runtime.listVolumes({})).rejects.toBe(gone);
    expect(await runtime.listVolumes({})).toEqual([]);
  });

  it('streams events for labelled containers until aborted', async () => {
    const runtime = new FakeRuntime({ images: ['postgres:17'] });
    const controller = new AbortController();
    const seen: EngineEvent[] = [];
    const watching = (async () => {
      for await (const event of runtime.events({
        filter: { 'devenv.project': 'shop' },
        signal: controller.signal,
      })) {
        seen.push(event);
        if (event.action === 'die') controller.abort();
      }
    })();
    await runtime.createContainer({ ...spec, name: 'unrelated', labels: { other: 'x' } });
    const { id } = await runtime.createContainer(spec);
    await runtime.startContainer(id);
    await runtime.stopContainer(id);
    await watching;
    expect(seen.map((e) => [e.name, e.action, e.exitCode])).toEqual([
      ['shop-db', 'create', undefined],
      ['shop-db', 'start', undefined],
      ['shop-db', 'die', 0],
    ]);
  });
});
