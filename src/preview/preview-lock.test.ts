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
});
