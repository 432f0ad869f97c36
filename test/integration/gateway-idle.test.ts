import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway/start-gateway.js';
import type { PreviewRecord } from '../../src/preview/preview-contract.js';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { type Clock, systemClock } from '../../src/util/clock.js';
import { removeLabelled } from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { FakePreviews } from '../support/preview-fixtures.js';
import { freePort, send } from '../support/router-upstreams.js';
import { waitFor } from '../support/wait.js';

// Idle sleep against the real engine: the gateway stops an idle preview's service containers and
// starts them again on the next request, which it holds until the service answers. The gateway's
// clock is shifted instead of waiting the minutes out.

const docker = testEngine();
let offsetMs = 0;
const clock: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
const log: string[] = [];
let gateway: Gateway;
let previews: FakePreviews;
let sleepy: PreviewRecord;
let awake: PreviewRecord;
let expired: PreviewRecord;
const gcRuns: Date[] = [];

/** A stand-in for `collectPreviewGarbage`: removes this test's expired previews. */
async function collect(now: Date): Promise<void> {
  gcRuns.push(now);
  if (expired.expires.getTime() > now.getTime()) return;
  await removeLabelled(docker, { 'devenv.preview': expired.id });
}
let port: number;

const hostOf = (record: PreviewRecord): string => record.services[0]?.host ?? '';

async function serviceState(record: PreviewRecord): Promise<string | undefined> {
  const [container] = await docker.listContainers({
    all: true,
    filters: { label: [`devenv.preview=${record.id}`] },
  });
  return container?.State;
}

beforeAll(async () => {
  port = await freePort();
  previews = new FakePreviews(docker, `gw.localhost:${port}`);
  sleepy = previews.record('sleepy', { access: 'public', idleSleepMinutes: 5 });
  awake = previews.record('awake', { access: 'public' });
  expired = previews.record('expired', { access: 'public', expires: new Date(Date.now() + 8 * 60_000) });
  for (const record of [sleepy, awake, expired]) {
    await previews.writeRecord(record);
    await previews.startService(record, 'web');
  }
  gateway = await startGateway({
    runtime: new DockerRuntime(process.env),
    port,
    addresses: ['127.0.0.1'],
    projects: [previews.project],
    pollMs: 500,
    holdMs: 15_000,
    clock,
    gc: collect,
    gcIntervalMs: 200,
    log: (line) => {
      log.push(line);
    },
    accessLog: () => undefined,
  });
});

afterAll(async () => {
  await gateway?.close();
  await previews?.dispose();
});

describe('idle sleep', () => {
  it('stops an idle preview and wakes it on the next request', async () => {
    expect((await send(port, hostOf(sleepy))).body).toBe('sleepy/web GET /');

    offsetMs += 4 * 60_000;
    await gateway.refresh();
    expect(await serviceState(sleepy)).toBe('running');

    offsetMs += 2 * 60_000;
    await gateway.refresh();
    await waitFor('the idle preview to stop', async () =>
      (await serviceState(sleepy)) === 'exited' ? true : undefined,
    );
    // Without idle sleep, a preview runs however long it is left alone.
    expect(await serviceState(awake)).toBe('running');
    await gateway.refresh();
    const status = await send(port, hostOf(sleepy), { path: '/.devenv/status' });
    expect(JSON.parse(status.body)).toMatchObject({ asleep: true, services: [{ state: 'stopped' }] });

    // The request that wakes it is held, then answered by the service itself.
    const answer = await send(port, hostOf(sleepy), { path: '/again' });
    expect(`${answer.status} ${answer.body}`).toBe('200 sleepy/web GET /again');
    expect(await serviceState(sleepy)).toBe('running');
    expect(log.some((line) => line.includes('stopping its services'))).toBe(true);
    expect(log.some((line) => line.includes('starting its services'))).toBe(true);
  });

  it('runs gc periodically, and a collected preview gets the deleted page', async () => {
    expect((await send(port, hostOf(expired))).body).toBe('expired/web GET /');
    const runs = gcRuns.length;
    await waitFor('a gc run', async () => (gcRuns.length > runs ? true : undefined));
    offsetMs += 10 * 60_000;
    await waitFor('the expired preview to be collected', async () => {
      const answer = await send(port, hostOf(expired), { headers: { accept: 'application/json' } });
      return answer.status === 404 ? answer : undefined;
    }).then((answer) => expect(JSON.parse(answer.body)).toMatchObject({ error: 'preview-deleted' }));
    expect((await send(port, hostOf(awake))).status).toBe(200);
  });
});
