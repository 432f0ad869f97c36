import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExternalError } from '../errors/devenv-error.js';
import { systemClock } from '../util/clock.js';
import { debounceBatches } from './debounce-batches.js';
import type { FileBatch, FileChange } from './file-change.js';
import { type FileWatcher, watchFiles } from './watch-files.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'devenv-watch-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function watching(dir: string, keep: string[] = []) {
  const changes: FileChange[] = [];
  const errors: ExternalError[] = [];
  const watcher: FileWatcher = await watchFiles({
    projectDir: dir,
    clock: systemClock,
    keep,
    onChange: (change) => changes.push(change),
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => watcher.close());
  return { changes, errors };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('watchFiles', () => {
  it('reports relative POSIX paths, and nothing from node_modules, .git, editor temp or .gitignored files', async () => {
    const dir = await project({
      '.gitignore': 'dist/\n*.log\n.env.local\n',
      'src/index.js': '1',
      'node_modules/lib/index.js': '1',
      '.git/HEAD': 'ref',
      'dist/bundle.js': '1',
    });
    const { changes, errors } = await watching(dir, ['.env.local']);
    await writeFile(join(dir, 'node_modules/lib/index.js'), '2');
    await writeFile(join(dir, '.git/HEAD'), 'other');
    await writeFile(join(dir, 'dist/bundle.js'), '2');
    await writeFile(join(dir, 'debug.log'), 'x');
    await writeFile(join(dir, 'src/.index.js.swp'), 'x');
    await writeFile(join(dir, 'src/index.js~'), 'x');
    await writeFile(join(dir, '.env.local'), 'A=1'); // gitignored, but a config file
    await mkdir(join(dir, 'src/lib'));
    await writeFile(join(dir, 'src/lib/new.js'), 'x');
    await writeFile(join(dir, 'src/index.js'), '2');
    await rm(join(dir, 'src/lib/new.js'));
    await until(() => changes.some((c) => c.kind === 'unlink'));
    await sleep(200); // anything ignored that was going to show up would have by now
    expect([...new Set(changes.map((c) => `${c.kind} ${c.path}`))].sort()).toEqual([
      'add .env.local',
      'add src/lib/new.js',
      'change src/index.js',
      'unlink src/lib/new.js',
    ]);
    expect(errors).toEqual([]);
  });

  it('keeps gitignored files inside a watched src quiet, but reports a watched gitignored dist', async () => {
    const dir = await project({
      '.gitignore': '*.log\n__pycache__/\ndist/\n',
      'src/main.py': '1',
      'src/__pycache__/main.cpython-312.pyc': '1',
      'dist/main.js': '1',
    });
    // The keep paths of `watch: [{paths: src}]` and `watch: [{paths: dist}]`.
    const { changes, errors } = await watching(dir, ['src', 'dist']);
    await writeFile(join(dir, 'src/app.log'), 'started'); // what the looping service wrote on each start
    await writeFile(join(dir, 'src/__pycache__/main.cpython-312.pyc'), '2');
    await writeFile(join(dir, 'src/__pycache__/new.cpython-312.pyc'), '1');
    await writeFile(join(dir, 'dist/main.js'), '2');
    await writeFile(join(dir, 'src/main.py'), '2');
    await until(() => changes.length >= 2);
    await sleep(200); // anything ignored that was going to show up would have by now
    expect([...new Set(changes.map((c) => `${c.kind} ${c.path}`))].sort()).toEqual([
      'change dist/main.js',
      'change src/main.py',
    ]);
    expect(errors).toEqual([]);
  });

  it('turns a burst of 200 writes in 100 ms into one batch', async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`src/f${i}.js`, '0']));
    const dir = await project(files);
    const batches: FileBatch[] = [];
    const debouncer = debounceBatches({
      clock: systemClock,
      onBatch: (batch) => batches.push(batch),
      onError: (error) => {
        throw error;
      },
    });
    cleanups.push(async () => debouncer.close());
    const watcher = await watchFiles({
      projectDir: dir,
      clock: systemClock,
      onChange: (change) => debouncer.push(change),
      onActivity: (path) => debouncer.touch(path),
      onError: (error) => {
        throw error;
      },
    });
    cleanups.push(() => watcher.close());

    const started = Date.now();
    for (let i = 0; i < 200; i++) {
      writeFileSync(join(dir, `src/f${i % 10}.js`), String(i));
      // One write every half millisecond, yielding so the watcher sees them as they happen.
      while (Date.now() < started + i * 0.5) await new Promise((resolve) => setImmediate(resolve));
    }
    const elapsed = Date.now() - started;
    await until(() => batches.length > 0);
    await sleep(300);
    // Paced for 100 ms; a loaded machine stretches it, but it must stay a burst (under the 500 ms max wait).
    expect(elapsed).toBeLessThan(450);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.changes.map((c) => c.path)).toEqual(Object.keys(files).sort());
  });
});
