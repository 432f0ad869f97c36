import { describe, expect, it } from 'vitest';
import { FakeClock } from '../util/fake-clock.js';
import { debounceBatches } from './debounce-batches.js';
import type { FileBatch, FileChangeKind } from './file-change.js';

function setup(options: { quietMs?: number; maxWaitMs?: number } = {}) {
  const clock = new FakeClock(0);
  const batches: FileBatch[] = [];
  const errors: unknown[] = [];
  const debouncer = debounceBatches({
    clock,
    ...options,
    onBatch: (batch) => batches.push(batch),
    onError: (error) => errors.push(error),
  });
  /** A write as the watcher reports it: raw activity at once, then chokidar's event. */
  const push = (path: string, kind: FileChangeKind = 'change') => {
    debouncer.touch(path);
    debouncer.push({ path, kind, at: clock.now() });
  };
  const summary = () => batches.map((b) => b.changes.map((c) => `${c.kind} ${c.path}`).join(', '));
  return { clock, batches, errors, debouncer, push, summary };
}

describe('debounceBatches', () => {
  it('turns a burst of 200 writes in 100 ms into one batch, after the quiet period', async () => {
    const { clock, batches, push, summary } = setup();
    for (let i = 0; i < 200; i++) {
      push(`src/file-${i % 7}.ts`);
      await clock.advance(0.5);
    }
    await clock.advance(99);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.changes).toHaveLength(7);
    expect(batches[0]).toMatchObject({ firstAt: 0, lastAt: 99.5 });
    expect(summary()[0]).toMatch(/^change src\/file-0.ts, change src\/file-1.ts/);
  });

  it('keeps a burst together while only raw activity shows it, and drops the replayed events', async () => {
    const { clock, batches, debouncer, push } = setup();
    // chokidar reports each file's first write at once and holds the rest back for 50 ms…
    for (let i = 0; i < 10; i++) push(`src/file-${i}.ts`);
    for (let i = 0; i < 80; i++) {
      debouncer.touch(`src/file-${i % 10}.ts`);
      await clock.advance(1);
    }
    await clock.advance(98);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches).toHaveLength(1);
    // …then replays the last of them, which the flushed batch has already acted on.
    await clock.advance(20);
    for (let i = 0; i < 10; i++)
      debouncer.push({ path: `src/file-${i}.ts`, kind: 'change', at: clock.now() });
    await clock.advance(100);
    expect(batches).toHaveLength(1);
    // A real write after the flush is news, even to a path of the last batch.
    push('src/file-3.ts');
    await clock.advance(15);
    expect(batches).toHaveLength(2);
    expect(batches.map((b) => b.changes.map((c) => c.path))).toEqual([
      Array.from({ length: 10 }, (_, i) => `src/file-${i}.ts`),
      ['src/file-3.ts'],
    ]);
  });

  it('a single save is a batch after the short quiet period', async () => {
    const { clock, batches, push } = setup();
    push('src/index.ts');
    await clock.advance(14);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches).toMatchObject([{ firstAt: 0, changes: [{ path: 'src/index.ts', kind: 'change' }] }]);
  });

  it('waits the longer quiet period once one file is written over and over', async () => {
    const { clock, batches, push } = setup();
    for (let i = 0; i < 6; i++) {
      push('server.js');
      await clock.advance(5);
    }
    await clock.advance(20); // a pause longer than a save's quiet period does not split the burst
    push('server.js');
    await clock.advance(99);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches).toHaveLength(1);
  });

  it('flushes after the maximum wait while events keep coming', async () => {
    const { clock, batches, push } = setup({ quietMs: 50, maxWaitMs: 500 });
    for (let i = 0; i < 60; i++) {
      push('log.txt');
      await clock.advance(20);
    }
    await clock.advance(100);
    expect(batches.map((b) => b.firstAt)).toEqual([0, 500, 1000]);
  });

  it('keeps the net effect per path', async () => {
    const { clock, push, summary } = setup();
    push('new.ts', 'add');
    push('new.ts', 'change');
    push('tmp.ts', 'add');
    push('tmp.ts', 'unlink');
    push('moved.ts', 'unlink');
    push('moved.ts', 'add');
    push('gone.ts', 'change');
    push('gone.ts', 'unlink');
    await clock.advance(100);
    expect(summary()).toEqual(['unlink gone.ts, change moved.ts, add new.ts']);
  });

  it('reports nothing for a batch that cancels out, and nothing after close', async () => {
    const { clock, batches, push, debouncer } = setup();
    push('x.swp', 'add');
    push('x.swp', 'unlink');
    await clock.advance(100);
    push('a.ts');
    debouncer.close();
    push('b.ts');
    await clock.advance(1000);
    expect(batches).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('hands a throwing consumer to onError', async () => {
    const clock = new FakeClock(0);
    const errors: unknown[] = [];
    const debouncer = debounceBatches({
      clock,
      onBatch: () => {
        throw new Error('consumer broke');
      },
      onError: (error) => errors.push(error),
    });
    debouncer.push({ path: 'a', kind: 'change', at: 0 });
    await clock.advance(100);
    expect(errors).toEqual([new Error('consumer broke')]);
  });
});
