import { describe, expect, it, vi } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { acquirePreviewLock, type PreviewLockOptions } from './preview-lock.js';

function setUp() {
  const runtime = new FakeRuntime();
  const clock = new FakeClock(Date.parse('2026-01-01T10:00:00Z'));
  const lines: string[] = [];
  const running = new Set<number>();
  const options = (
    pid: number,
    host = 'laptop',
    signal = new AbortController().signal,
  ): PreviewLockOptions => ({
    runtime,
    clock,
    project: 'shop',
    env: 'preview-feat-x-1a2b3c4d',
    previewId: 'feat-x-1a2b3c4d.shop',
    command: 'preview up',
    host,
    boot: `${host}-boot`,
    identity: { pid, started: '42' },
    isRunning: async (identity) => host === 'laptop' && running.has(identity.pid),
    progress: (line) => lines.push(`${pid}: ${line}`),
    signal,
  });
  const lockVolumes = () =>
    [...runtime.volumes.values()].filter((volume) => volume.labels['devenv.preview.lock'] !== undefined);
  return { runtime, clock, lines, running, options, lockVolumes };
}

describe('acquirePreviewLock', () => {
  it('makes a second run wait for the first, saying for whom, and then take the lock', async () => {
    const { clock, lines, running, options, lockVolumes } = setUp();
    running.add(100).add(200);
    const first = await acquirePreviewLock(options(100));
    let second: Awaited<ReturnType<typeof acquirePreviewLock>> | undefined;
    const waiting = acquirePreviewLock(options(200)).then((lock) => {
      second = lock;
    });
    await vi.waitFor(() =>
      expect(lines).toEqual([
        '200: waiting for another `preview up` of this preview (host laptop, pid 100, since 10:00:00)',
      ]),
    );
    await clock.advance(120_000);
    expect(second).toBeUndefined();

    await first.release();
    await clock.advance(1_000);
    await waiting;
    expect(
      lockVolumes().map((volume) => JSON.parse(volume.labels['devenv.preview.lock.holder'] ?? '').pid),
    ).toEqual([200]);
    await second?.release();
    expect(lockVolumes()).toEqual([]);
  });

  it('takes over at once from a holder on this machine that no longer runs (a killed preview up)', async () => {
    const { lines, running, options } = setUp();
    running.add(100);
    await acquirePreviewLock(options(100));
    running.delete(100);
    await acquirePreviewLock(options(200));
    expect(lines).toEqual([
      '200: waiting for another `preview up` of this preview (host laptop, pid 100, since 10:00:00)',
      '200: the `preview up` holding the lock (host laptop, pid 100, since 10:00:00) is gone: taking over',
    ]);
  });

  it('waits for a holder on another machine while its heartbeat goes on, and takes over once it stops', async () => {
    const { clock, lines, options } = setUp();
    const killRemote = new AbortController();
    await acquirePreviewLock({ ...options(100, 'ci-7', killRemote.signal), beatMs: 10_000 });
    let taken = false;
    const waiting = acquirePreviewLock({ ...options(200), staleMs: 30_000 }).then(() => {
      taken = true;
    });
    for (let second = 0; second < 120; second++) await clock.advance(1_000);
    expect(taken).toBe(false);

    // The remote run is killed: its beats stop, its lock stays behind.
    killRemote.abort();
    for (let second = 0; second < 31; second++) await clock.advance(1_000);
    await waiting;
    expect(lines.at(-1)).toBe(
      '200: the `preview up` holding the lock (host ci-7, pid 100, since 10:00:00) is gone: taking over',
    );
  });

  it('stops waiting on Ctrl-C', async () => {
    const { running, options } = setUp();
    running.add(100);
    await acquirePreviewLock(options(100));
    const abort = new AbortController();
    const waiting = acquirePreviewLock(options(200, 'laptop', abort.signal));
    abort.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });

  describe('two waiters taking over from the same dead holder', () => {
    const LOCK = 'shop-preview-feat-x-1a2b3c4d-lock';
    /** The runtime as one waiter sees it: its first call matching `pause` waits until `resume()`. */
    const paused = (
      runtime: FakeRuntime,
      pause: (method: 'ensureVolume' | 'removeVolume', name: string, call: number) => boolean,
    ) => {
      let reached = false;
      let resume = () => {};
      const gate = new Promise<void>((resolve) => {
        resume = resolve;
      });
      let calls = 0;
      const at = async (method: 'ensureVolume' | 'removeVolume', name: string) => {
        if (name === LOCK) calls++;
        if (!reached && pause(method, name, calls)) {
          reached = true;
          await gate;
        }
      };
      const view: PreviewLockOptions['runtime'] = {
        ensureVolume: async (name, labels) => {
          await at('ensureVolume', name);
          return runtime.ensureVolume(name, labels);
        },
        listVolumes: (filter) => runtime.listVolumes(filter),
        removeVolume: async (name) => {
          await at('removeVolume', name);
          return runtime.removeVolume(name);
        },
      };
      return { view, resume, reached: () => reached };
    };
    const holders = (lockVolumes: () => { labels: Record<string, string> }[]) =>
      lockVolumes()
        .filter((volume) => volume.labels['devenv.preview.lock.holder'] !== undefined)
        .map((volume) => JSON.parse(volume.labels['devenv.preview.lock.holder'] ?? '').pid);

    it('never lets one remove the lock the other just took (check and removal are separate steps)', async () => {
      const { runtime, clock, running, options, lockVolumes } = setUp();
      running.add(100);
      await acquirePreviewLock(options(100));
      running.delete(100);
      running.add(200).add(300);

      // Waiter 200 has decided the lock is its dead holder's and is about to remove it…
      const a = paused(runtime, (method, name) => method === 'removeVolume' && name === LOCK);
      const got: number[] = [];
      const first = acquirePreviewLock({ ...options(200), runtime: a.view }).then((lock) => {
        got.push(200);
        return lock;
      });
      await vi.waitFor(() => expect(a.reached()).toBe(true));
      // …when waiter 300 sees the same dead holder.
      void acquirePreviewLock(options(300)).then(() => got.push(300));
      for (let second = 0; second < 5; second++) await clock.advance(1_000);
      a.resume();
      for (let second = 0; second < 5; second++) await clock.advance(1_000);

      // 300 found 200's takeover under way and waited; 200 created the lock once it had removed the dead one.
      expect(got).toEqual([200]);
      expect(holders(lockVolumes)).toEqual([200]);
      // 300 then waits for 200, and takes the lock when 200 releases it.
      await (await first).release();
      for (let second = 0; second < 2; second++) await clock.advance(1_000);
      expect(got).toEqual([200, 300]);
      expect(holders(lockVolumes)).toEqual([300]);
      // No end claim stays behind (the killed holder 100's own beats may: its timer still runs here).
      expect(lockVolumes().filter((volume) => volume.name.includes('-end-'))).toEqual([]);
    });

    it('keeps waiting when the other creates the lock between its takeover and its create', async () => {
      const { runtime, clock, lines, running, options, lockVolumes } = setUp();
      running.add(100);
      await acquirePreviewLock(options(100));
      running.delete(100);
      running.add(200).add(300);

      // Waiter 200 removed the dead holder's lock and is about to create its own (its 2nd create)…
      const a = paused(
        runtime,
        (method, name, call) => method === 'ensureVolume' && name === LOCK && call === 3,
      );
      let taken = false;
      void acquirePreviewLock({ ...options(200), runtime: a.view }).then(() => {
        taken = true;
      });
      await vi.waitFor(() => expect(a.reached()).toBe(true));
      // …when waiter 300 finds the lock free and takes it.
      await acquirePreviewLock(options(300));
      a.resume();
      for (let second = 0; second < 3; second++) await clock.advance(1_000);

      expect(taken).toBe(false);
      expect(holders(lockVolumes)).toEqual([300]);
      expect(lines.filter((line) => line.startsWith('200:')).at(-1)).toBe(
        '200: waiting for another `preview up` of this preview (host laptop, pid 300, since 10:00:00)',
      );
    });

    it('clears a takeover whose taker was killed half-way, once it stayed for the stale time', async () => {
      const { runtime, clock, lines, running, options, lockVolumes } = setUp();
      running.add(100);
      await acquirePreviewLock(options(100));
      running.delete(100);
      const holder = lockVolumes()[0];
      const nonce = JSON.parse(holder?.labels['devenv.preview.lock.holder'] ?? '').nonce;
      // A taker killed between claiming the takeover and removing the dead holder's lock.
      await runtime.ensureVolume(`${LOCK}-end-${nonce}`, {
        'devenv.project': 'shop',
        'devenv.preview.lock': 'feat-x-1a2b3c4d.shop',
        'devenv.preview.lock.end': nonce,
        'devenv.preview.lock.claimant': 'killed',
      });
      running.add(200);
      let taken = false;
      void acquirePreviewLock({ ...options(200), staleMs: 30_000 }).then(() => {
        taken = true;
      });
      for (let second = 0; second < 20; second++) await clock.advance(1_000);
      expect(taken).toBe(false);
      for (let second = 0; second < 12; second++) await clock.advance(1_000);
      expect(taken).toBe(true);
      expect(holders(lockVolumes)).toEqual([200]);
      // No end claim stays behind (the killed holder 100's own beats may: its timer still runs here).
      expect(lockVolumes().filter((volume) => volume.name.includes('-end-'))).toEqual([]);
      expect(lines).toContain(
        '200: an abandoned takeover of the lock (host laptop, pid 100, since 10:00:00) is in the way: removing it',
      );
    });
  });
});
