import { describe, expect, it, vi } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { acquirePreviewLock, type LockCommand, type LockHolderOptions } from './preview-lock.js';
import { takeDownPreview } from './take-down-preview.js';

const ID = 'feat-x-1a2b3c4d.shop';
const ENV = 'preview-feat-x-1a2b3c4d';

function setUp() {
  const runtime = new FakeRuntime({ images: ['node:24'] });
  const clock = new FakeClock(Date.parse('2026-01-01T10:00:00Z'));
  const lines: string[] = [];
  const running = new Set<number>([100, 200]);
  const holder = (pid: number): LockHolderOptions => ({
    host: 'laptop',
    boot: 'laptop-boot',
    identity: { pid, started: '42' },
    isRunning: async (identity) => running.has(identity.pid),
  });
  const labels = { 'devenv.project': 'shop', 'devenv.env': ENV, 'devenv.preview': ID };
  const seed = async () => {
    await runtime.ensureNetwork(`shop-${ENV}`, labels);
    await runtime.ensureVolume(`shop-${ENV}-data`, labels);
    await runtime.createContainer({ name: `shop-${ENV}-web`, image: 'node:24', labels });
  };
  const down = (signal = new AbortController().signal) =>
    takeDownPreview({
      runtime,
      clock,
      project: 'shop',
      env: ENV,
      previewId: ID,
      lockHolder: holder(200),
      progress: (line) => lines.push(line),
      signal,
    });
  /** Takes the preview's lock as another process (`pid`) running `command` would. */
  const lock = (
    command: LockCommand,
    pid: number,
    extra: Partial<Parameters<typeof acquirePreviewLock>[0]> = {},
  ) =>
    acquirePreviewLock({
      runtime,
      clock,
      project: 'shop',
      env: ENV,
      previewId: ID,
      command,
      ...holder(pid),
      progress: () => undefined,
      signal: new AbortController().signal,
      ...extra,
    });
  return { runtime, clock, lines, running, holder, seed, down, lock };
}

describe('takeDownPreview', () => {
  it('waits for a `preview up` of the preview to finish, saying so, and then removes the preview', async () => {
    const { runtime, clock, lines, seed, down, lock } = setUp();
    await seed();
    const up = await lock('preview up', 100);
    let done = false;
    const removing = down().then((removed) => {
      done = true;
      return removed;
    });
    await vi.waitFor(() =>
      expect(lines).toEqual([
        'waiting for a `preview up` of this preview (host laptop, pid 100, since 10:00:00)',
      ]),
    );
    await clock.advance(30_000);
    expect(done).toBe(false);
    expect(runtime.containers.size).toBe(1);

    await up.release();
    await clock.advance(1_000);
    expect(await removing).toMatchObject({ containers: 1, networks: 1, volumes: 1 });
    expect(runtime.containers.size).toBe(0);
    expect([...runtime.volumes.keys()]).toEqual([]);
  });

  it('makes a `preview up` wait for it, saying so', async () => {
    const { lines, seed, lock } = setUp();
    await seed();
    // A `preview down` holding the lock, as another process would.
    await lock('preview down', 100);
    void lock('preview up', 200, { progress: (line) => lines.push(line) });
    await vi.waitFor(() =>
      expect(lines).toEqual([
        'waiting for a `preview down` of this preview (host laptop, pid 100, since 10:00:00)',
      ]),
    );
  });

  it('stops waiting on Ctrl-C, removing nothing', async () => {
    const { runtime, seed, down, lock } = setUp();
    await seed();
    await lock('preview up', 100);
    const abort = new AbortController();
    const removing = down(abort.signal);
    abort.abort(new Error('interrupted'));
    await expect(removing).rejects.toThrow('interrupted');
    expect(runtime.containers.size).toBe(1);
  });

  it('removes the lock and heartbeats a killed run left', async () => {
    const { runtime, clock, seed, down, lock } = setUp();
    await seed();
    const killRemote = new AbortController();
    await lock('preview up', 100, { host: 'ci-7', signal: killRemote.signal, beatMs: 10_000 });
    await clock.advance(20_000);
    killRemote.abort();
    let done = false;
    const removing = down().then(() => {
      done = true;
    });
    for (let second = 0; second < 61 && !done; second++) await clock.advance(1_000);
    await removing;
    expect([...runtime.volumes.keys()]).toEqual([]);
  });
});
