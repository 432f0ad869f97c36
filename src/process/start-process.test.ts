import { afterEach, describe, expect, it } from 'vitest';
import { isPidAlive } from './process-group.js';
import { type OutputLine, type RunningProcess, startProcess } from './start-process.js';

const started: RunningProcess[] = [];
// A failed assertion must not leave `sleep 100` behind.
afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop(500)));
});

/** Real children, kept short: `node -e` and `sh -c` only. */
async function start(command: string[], lines: OutputLine[] = [], maxLineLength?: number) {
  const proc = await startProcess({
    command,
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '' },
    onLine: (line) => lines.push(line),
    ...(maxLineLength === undefined ? {} : { maxLineLength }),
  });
  started.push(proc);
  return proc;
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('startProcess', () => {
  it('emits output line by line across chunks, with the last partial line flushed at exit', async () => {
    const lines: OutputLine[] = [];
    const proc = await start(
      [
        'node',
        '-e',
        `process.stdout.write('one\\ntw'); process.stderr.write('warn\\r\\n');
         setTimeout(() => process.stdout.write('o\\n\\u00e9t\\u00e9 sans fin'), 30);`,
      ],
      lines,
    );
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    await proc.stop(1_000);
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual([
      'one',
      'two',
      'été sans fin',
    ]);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['warn']);
    expect(lines.every((l) => typeof l.timestamp === 'number' && l.timestamp > 0)).toBe(true);
  });

  it('cuts an endless line into pieces of the maximum length', async () => {
    const lines: OutputLine[] = [];
    const proc = await start(['node', '-e', `process.stdout.write('x'.repeat(25))`], lines, 10);
    await proc.exited;
    await proc.stop(1_000);
    expect(lines.map((l) => l.text.length)).toEqual([10, 10, 5]);
  });

  it('stops the whole process group, grandchildren included', async () => {
    const lines: OutputLine[] = [];
    const proc = await start(['sh', '-c', 'sleep 100 & echo $!; sleep 100 & echo $!; wait'], lines);
    await until(() => lines.length === 2);
    const pids = [proc.pid, ...lines.map((l) => Number(l.text))];
    for (const pid of pids) expect(await isPidAlive(pid)).toBe(true);

    const started = Date.now();
    const exit = await proc.stop(2_000);
    const elapsed = Date.now() - started;
    expect(exit.signal).toBe('SIGTERM');
    for (const pid of pids) expect(await isPidAlive(pid)).toBe(false);
    expect(elapsed).toBeLessThan(1_000); // no waiting out the grace period
    expect(await proc.stop(2_000)).toBe(exit); // idempotent
  });

  it('kills the group with SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const lines: OutputLine[] = [];
    const proc = await start(
      [
        'node',
        '-e',
        `process.on('SIGTERM', () => console.log('ignoring')); console.log('up'); setInterval(() => {}, 1000)`,
      ],
      lines,
    );
    await until(() => lines.some((l) => l.text === 'up'));
    const started = Date.now();
    const exit = await proc.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(lines.map((l) => l.text)).toContain('ignoring');
    expect(await isPidAlive(proc.pid)).toBe(false);
  });

  it('cleans up children left behind by a leader that exited on its own', async () => {
    const lines: OutputLine[] = [];
    const proc = await start(['sh', '-c', 'sleep 100 & echo $!; exit 3'], lines);
    expect(await proc.exited).toEqual({ code: 3, signal: null });
    await until(() => lines.length === 1);
    const orphan = Number(lines[0]?.text);
    expect(await isPidAlive(orphan)).toBe(true);
    await proc.stop(1_000);
    expect(await isPidAlive(orphan)).toBe(false);
  });

  it('fails with a typed error when the command does not exist', async () => {
    await expect(start(['devenv-no-such-command'])).rejects.toMatchObject({
      code: 'PROCESS_START_FAILED',
      kind: 'external',
    });
  });
});
