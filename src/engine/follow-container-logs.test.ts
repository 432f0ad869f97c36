import { describe, expect, it, vi } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { FakeClock } from '../util/fake-clock.js';
import { type FollowedLog, followContainerLogs } from './follow-container-logs.js';

const labels = { 'devenv.project': 'shop', 'devenv.env': 'default' };

function setUp() {
  const runtime = new FakeRuntime({ images: ['redis:8', 'postgres:17'] });
  const clock = new FakeClock();
  const seen: string[] = [];
  const report = (log: FollowedLog): void => {
    seen.push(log.kind === 'line' ? `${log.name} | ${log.line.text}` : `${log.name} recreated`);
  };
  // The fake's streams end after the lines set here, as a real one does when its container stops.
  const start = async (name: string, lines: readonly string[]): Promise<string> => {
    const image = name === 'db' ? 'postgres:17' : 'redis:8';
    const created = await runtime.createContainer({
      name: `shop-default-${name}`,
      image,
      labels: { ...labels, 'devenv.name': name },
    });
    runtime.logLines.set(
      created.id,
      lines.map((text, index) => ({ stream: 'stdout', text, timestamp: new Date(clock.now() + index) })),
    );
    await runtime.startContainer(created.id);
    return created.id;
  };
  const remove = async (id: string): Promise<void> => {
    await runtime.stopContainer(id);
    await runtime.removeContainer(id);
  };
  /** Follows `cache` of shop/default until `signal` aborts (or the environment is taken down). */
  const follow = (signal = new AbortController().signal) =>
    followContainerLogs(
      { runtime, clock, project: 'shop', env: 'default', names: ['cache'], signal },
      report,
    );
  return { runtime, clock, seen, report, start, remove, follow };
}

describe('followContainerLogs', () => {
  it('goes on with the new container when one is recreated, and ends when the environment is taken down', async () => {
    const { runtime, clock, seen, start, remove, follow } = setUp();
    await runtime.ensureNetwork('shop-default', labels);
    const first = await start('cache', ['one']);
    const done = follow();
    await vi.waitFor(() => expect(seen).toEqual(['cache | one']));

    // A config change: the old container goes, a new one with the same name starts (after a pull, say).
    await remove(first);
    await clock.advance(5_000);
    const second = await start('cache', ['two']);
    await vi.waitFor(() => expect(seen).toEqual(['cache | one', 'cache recreated', 'cache | two']));

    // `devenv down`: containers, then the network.
    await remove(second);
    await clock.advance(1_000);
    runtime.networks.clear();
    await clock.advance(1_000);
    await expect(done).resolves.toBe('down');
  });

  it('resumes a restarted container after its last line, and follows only the named containers', async () => {
    const { runtime, clock, seen, start, follow } = setUp();
    await runtime.ensureNetwork('shop-default', labels);
    const cache = await start('cache', ['one']);
    await start('db', ['not followed']);
    const abort = new AbortController();
    const done = follow(abort.signal);
    await vi.waitFor(() => expect(seen).toEqual(['cache | one']));
    await runtime.stopContainer(cache);
    await runtime.startContainer(cache);
    await vi.waitFor(() => expect(runtime.calls.filter((call) => call.method === 'logs')).toHaveLength(2));
    const resumed = runtime.calls.filter((call) => call.method === 'logs')[1]?.args[1] as { since?: Date };
    expect(resumed.since?.getTime()).toBe(clock.now() + 1);
    expect(seen.filter((line) => line.includes('recreated'))).toEqual([]);

    abort.abort();
    await expect(done).resolves.toBe('aborted');
  });

  it('ends at once when the environment does not exist', async () => {
    const { follow } = setUp();
    await expect(follow()).resolves.toBe('down');
  });
});
