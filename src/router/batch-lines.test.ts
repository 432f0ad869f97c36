import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchLines } from './batch-lines.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('batchLines', () => {
  it('hands on the lines of 100 ms as one write, and flushes on demand', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = batchLines((lines) => writes.push(lines));
    log('a');
    vi.advanceTimersByTime(50);
    log('b');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(writes).toEqual(['a\nb']);
    log('c');
    log.flush();
    log.flush();
    expect(writes).toEqual(['a\nb', 'c']);
    vi.advanceTimersByTime(1_000);
    expect(writes).toEqual(['a\nb', 'c']);
  });

  it('hands on a thousand lines at once without waiting', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = batchLines((lines) => writes.push(lines));
    for (let i = 0; i < 1_000; i++) log(String(i));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.split('\n')).toHaveLength(1_000);
  });

  it('formats a deferred line only when the batch is written', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = batchLines((lines) => writes.push(lines));
    let made = 0;
    log(() => `made ${++made}`);
    log('plain');
    expect(made).toBe(0);
    vi.advanceTimersByTime(100);
    expect(writes).toEqual(['made 1\nplain']);
  });
});
