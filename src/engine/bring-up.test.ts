import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { bringUp } from './bring-up.js';
import type { HostPorts } from './settle-host-ports.js';

const yaml = `
name: shop
dependencies:
  db:
    preset: postgres
  cache:
    preset: redis
    depends_on: [db]
`;

function setup(options: { busy?: number[]; text?: string } = {}) {
  const runtime = new FakeRuntime({ registry: ['postgres:17', 'redis:8'] });
  const clock = new FakeClock();
  const events: EnvironmentEvent[] = [];
  let saved: HostPortOverrides = {};
  const controller = new AbortController();
  const hostPorts: HostPorts = {
    isFree: async (port) => !(options.busy ?? []).includes(port),
    pickFree: async () => 40_001,
    describeHolder: async () => 'nginx (pid 7)',
  };
  const run = () =>
    bringUp({
      runtime,
      clock,
      hostPorts,
      load: (hostPortOverrides) => {
        const { environment, problems } = resolveText(options.text ?? yaml, { hostPortOverrides });
        if (!environment) throw new Error(problems.join('\n'));
        return environment;
      },
      ports: {
        read: async () => saved,
        write: async (overrides) => {
          saved = overrides;
        },
      },
      emit: (event) => events.push(event),
      signal: controller.signal,
    });
  const abort = (reason: Error) => controller.abort(reason);
  return { runtime, clock, events, run, abort, saved: () => saved };
}

const states = (events: EnvironmentEvent[], name: string) =>
  events.flatMap((event) => (event.type === 'resource' && event.name === name ? [event.state] : []));

describe('bringUp (fake engine)', () => {
  it('pulls, creates and starts in dependency order, then a second up does no container work', async () => {
    const { runtime, events, run } = setup();
    await run();
    expect(runtime.calls.filter((c) => c.method === 'pullImage').map((c) => c.args[0])).toEqual([
      'postgres:17',
      'redis:8',
    ]);
    const created = runtime.calls
      .filter((c) => c.method === 'createContainer')
      .map((c) => (c.args[0] as { name: string }).name);
    expect(created).toEqual(['shop-default-db', 'shop-default-cache']);
    expect(states(events, 'cache')).toEqual(['pending', 'starting', 'starting', 'ready']);
    expect(events.at(-1)).toMatchObject({ type: 'resource', name: 'cache', state: 'ready' });

    runtime.calls.length = 0;
    await run();
    const work = runtime.calls.filter((c) => /create|start|stop|remove|pull/i.test(c.method));
    expect(work).toEqual([]);
  });

  it('puts the environment on one network with each dependency reachable by its name', async () => {
    const { runtime, run } = setup();
    await run();
    const specs = [...runtime.containers.values()].map((c) => c.spec);
    expect(specs.map((s) => s.network)).toEqual([
      { name: 'shop-default', aliases: ['db'] },
      { name: 'shop-default', aliases: ['cache'] },
    ]);
    expect(specs[0]?.labels).toMatchObject({
      'devenv.project': 'shop',
      'devenv.env': 'default',
      'devenv.name': 'db',
    });
    expect(specs[0]?.mounts).toEqual([
      { kind: 'volume', volume: 'shop-default-db-data', target: '/var/lib/postgresql/data' },
    ]);
  });

  it('moves a busy derived host port to a free one and remembers it', async () => {
    const first = setup();
    const planned = first.run().then(({ environment }) => environment.dependencies[0]?.ports[0]?.host);
    const port = await planned;
    const busy = setup({ busy: [port ?? 0] });
    const { environment } = await busy.run();
    expect(environment.dependencies[0]?.ports[0]).toMatchObject({ host: 40_001, hostSource: 'override' });
    expect(busy.saved()).toEqual({ db: { postgres: 40_001 } });
  });

  it('refuses a busy fixed host port, naming the holder, before creating anything', async () => {
    const text = `${yaml.replace('preset: redis', 'preset: redis\n    ports: { redis: { container: 6379, host: 6379 } }')}`;
    const { runtime, run } = setup({ busy: [6379], text });
    await expect(run()).rejects.toThrow('Host port 6379 is already in use by nginx (pid 7).');
    expect(runtime.calls.some((c) => c.method === 'createContainer')).toBe(false);
  });

  it('builds a build: service once, keeps it while its context is unchanged, and after an edit builds before replacing it', async () => {
    const { runtime, events, run } = setup({ text: 'name: shop\nservices:\n  api:\n    build: .\n' });
    const methods = () => runtime.calls.map((call) => call.method);
    await run();
    expect(methods().filter((method) => method === 'buildImage')).toHaveLength(1);
    const context = String(runtime.calls.find((call) => call.method === 'buildFingerprint')?.args[0]);

    runtime.calls.length = 0;
    await run();
    expect(methods()).not.toContain('buildImage');
    expect(methods()).not.toContain('createContainer');

    // An edit while the environment was down (or to a file no watch rule covers).
    runtime.fingerprints.set(context, 'fingerprint-1');
    runtime.calls.length = 0;
    events.length = 0;
    await run();
    expect(events.find((event) => event.type === 'plan')).toMatchObject({
      steps: ['api: recreate (build context changed)'],
    });
    const order = methods().filter((m) => ['buildImage', 'removeContainer', 'createContainer'].includes(m));
    expect(order).toEqual(['buildImage', 'removeContainer', 'createContainer']);
    expect(runtime.imageLabels.get('devenv/shop-api:default')?.['devenv.build-fingerprint']).toBe(
      'fingerprint-1',
    );

    runtime.calls.length = 0;
    await run();
    expect(methods()).not.toContain('buildImage');
  });

  it('a failing build of one service leaves its old container running and still brings up what does not depend on it', async () => {
    const text = 'name: shop\ndependencies:\n  cache:\n    preset: redis\nservices:\n  api:\n    build: .\n';
    const { runtime, events, run } = setup({ text });
    await run();
    const apiBefore = [...runtime.containers.values()].find((c) => c.name === 'shop-default-api');
    await runtime.removeContainer('shop-default-cache', { force: true });

    // A broken edit no watch rule covers: the next `up` rebuilds api, and the build fails.
    const context = String(runtime.calls.find((call) => call.method === 'buildFingerprint')?.args[0]);
    runtime.fingerprints.set(context, 'fingerprint-1');
    runtime.failNext('buildImage', new Error('Building devenv/shop-api:default failed: RUN false'));
    events.length = 0;
    const { failed } = await run();

    expect(failed.map(({ name }) => name)).toEqual(['api']);
    expect(events).toContainEqual(
      expect.objectContaining({ name: 'api', state: 'failed', detail: expect.stringContaining('RUN false') }),
    );
    expect(states(events, 'cache').at(-1)).toBe('ready');
    expect(runtime.containers.get(apiBefore?.id ?? '')?.state).toBe('running');
  });

  it('an aborted up throws the abort reason instead of reporting the steps as failed', async () => {
    const { runtime, clock, run, abort } = setup();
    runtime.execHandler = () => ({ exitCode: 2, stdout: '', stderr: 'no response' });
    const result = run().then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await clock.advance(1_000);
    abort(new Error('interrupted'));
    for (let i = 0; i < 5; i++) await clock.advance(1_000);
    expect(await result).toBe('interrupted');
  });

  it('times out a dependency that never gets ready, naming it, and does not start what depends on it', async () => {
    const { runtime, clock, events, run } = setup();
    runtime.execHandler = (_id, cmd) =>
      cmd.join(' ').includes('pg_isready')
        ? { exitCode: 2, stdout: '', stderr: 'no response' }
        : { exitCode: 0, stdout: '', stderr: '' };
    const result = run();
    for (let i = 0; i < 80; i++) await clock.advance(1_000);
    const { failed } = await result;
    expect(failed.map(({ name, error }) => [name, (error as Error).message])).toEqual([
      [
        'db',
        expect.stringMatching(
          /^db was not ready after 60s: checked `pg_isready .*` in the container, last result: exit 2: no response\./,
        ),
      ],
      ['cache', 'cache was not started because db failed.'],
    ]);
    expect(states(events, 'cache')).toEqual(['pending', 'failed']);
    expect(runtime.calls.filter((c) => c.method === 'createContainer')).toHaveLength(1);
  });
});
