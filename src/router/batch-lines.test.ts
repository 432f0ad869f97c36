import { describe, expect, it } from 'vitest';
import { batchLines } from './batch-lines.js';

describe('batchLines', () => {
  it('hands on the lines of one turn as one write, and flushes on demand', async () => {
    const writes: string[] = [];
    const log = batchLines((lines) => writes.push(lines));
    log('a');
    log('b');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb']);
    log('c');
    log.flush();
    log.flush();
    expect(writes).toEqual(['a\nb', 'c']);
  });
});
