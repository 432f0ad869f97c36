import { describe, expect, it } from 'vitest';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { emptySnapshot } from '../supervisor/environment-snapshot.js';
import { BATCH_MS, LAZY_MS, type Scheduler, STREAM_MS, TuiModel } from './tui-model.js';

/** Timers that run only when the test advances time. */
class ManualScheduler implements Scheduler {
  time = 1_700_000_000_000;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = until;
  }
  get pending(): number {
    return this.#timers.size;
  }
}

const setup = (logCapacity?: number) => {
  const scheduler = new ManualScheduler();
  const model = new TuiModel({
    snapshot: emptySnapshot('shop', 'default'),
    context: { project: 'shop', branch: undefined, env: 'default', urls: {}, routerUrl: undefined },
    size: { columns: 100, rows: 30 },
    scheduler,
    ...(logCapacity ? { logCapacity } : {}),
  });
  let published = 0;
  model.subscribe(() => published++);
  return { scheduler, model, published: () => published };
};

const logEvent = (at: number, text: string): EnvironmentEvent => ({
  type: 'log',
  at,
  name: 'api',
  stream: 'stdout',
  text,
});

const metricsEvent = (at: number, cpuPercent: number): EnvironmentEvent => ({
  type: 'metrics',
  at,
  usage: [{ name: 'api', cpuPercent, memoryBytes: 50 * 1024 * 1024 }],
});

describe('TuiModel', () => {
  it('batches a burst of events into one redraw', () => {
    const { scheduler, model, published } = setup();
    for (let i = 0; i < 5_000; i++) model.apply(logEvent(scheduler.time, `line ${i}`));
    expect(published()).toBe(0);
    scheduler.advance(BATCH_MS);
    expect(published()).toBe(1);
    expect(model.getView().logLines.at(-1)?.segments[0]?.text).toBe('line 4999');
  });

  it('redraws a steady stream at most once per STREAM_MS', () => {
    const { scheduler, model, published } = setup();
    // 5,000 lines a second in 10 ms batches, for one second.
    for (let tick = 0; tick < 100; tick++) {
      for (let i = 0; i < 50; i++) model.apply(logEvent(scheduler.time, `line ${tick}.${i}`));
      scheduler.advance(10);
    }
    scheduler.advance(STREAM_MS);
    expect(published()).toBeLessThanOrEqual(Math.ceil(1_000 / STREAM_MS) + 1);
    expect(model.getView().logLines.at(-1)?.segments[0]?.text).toBe('line 99.49');
    // After a quiet spell, a single line is drawn BATCH_MS later again.
    scheduler.advance(1_000);
    const before = published();
    model.apply(logEvent(scheduler.time, 'alone'));
    scheduler.advance(BATCH_MS);
    expect(published()).toBe(before + 1);
  });

  it('does not redraw when nothing on screen changed', () => {
    const { scheduler, model, published } = setup();
    model.apply({ type: 'plan', at: scheduler.time, steps: [] });
    scheduler.advance(BATCH_MS);
    expect(published()).toBe(0);
  });

  it('idle and settled, wakes up at most once a minute', () => {
    const { scheduler, model, published } = setup();
    model.apply({
      type: 'resource',
      at: scheduler.time - 3_600_000,
      name: 'api',
      kind: 'service',
      state: 'ready',
    });
    scheduler.advance(BATCH_MS);
    const after = published();
    scheduler.advance(59_000);
    expect(published() - after).toBeLessThanOrEqual(1);
  });

  it('lets a usage sample wait for the next redraw, up to LAZY_MS', () => {
    const { scheduler, model, published } = setup();
    model.apply({ type: 'resource', at: scheduler.time, name: 'api', kind: 'service', state: 'ready' });
    scheduler.advance(BATCH_MS);
    const before = published();
    model.apply(metricsEvent(scheduler.time, 12));
    scheduler.advance(BATCH_MS);
    expect(published()).toBe(before);
    // A log line a moment later draws the sample with it: one redraw, not two.
    scheduler.advance(1_000);
    model.apply(logEvent(scheduler.time, 'hello'));
    scheduler.advance(BATCH_MS);
    expect(published()).toBe(before + 1);
    expect(JSON.stringify(model.getView())).toContain('12.0%');
    scheduler.advance(LAZY_MS);
    expect(published()).toBe(before + 1);
    // Alone, a sample is drawn LAZY_MS later.
    model.apply(metricsEvent(scheduler.time, 30));
    scheduler.advance(LAZY_MS - 1);
    expect(published()).toBe(before + 1);
    scheduler.advance(1);
    expect(published()).toBe(before + 2);
  });

  it('does not let a usage sample delay a pending redraw', () => {
    const { scheduler, model, published } = setup();
    model.apply(logEvent(scheduler.time, 'first'));
    model.apply(metricsEvent(scheduler.time, 5));
    scheduler.advance(BATCH_MS);
    expect(published()).toBe(1);
  });

  it('redraws a key press at once', () => {
    const { model, published } = setup();
    model.press({ input: '?' });
    expect(published()).toBe(1);
    expect(model.getView().help).toBeDefined();
  });

  it('keeps a bounded scroll-back', () => {
    const { scheduler, model } = setup(100);
    for (let i = 0; i < 1_000; i++) model.apply(logEvent(scheduler.time, `line ${i}`));
    model.press({ input: 'p' });
    for (let i = 0; i < 30; i++) model.press({ input: '', pageUp: true });
    expect(model.getView().logLines[0]?.segments[0]?.text).toBe('line 900');
  });

  it('follows the terminal size', () => {
    const { model } = setup();
    model.resize({ columns: 60, rows: 12 });
    expect(model.getView().columns).toBe(60);
    expect(model.getView().logPadding).toBe(12 - 5);
  });

  it('leaves no timer behind once disposed', () => {
    const { scheduler, model } = setup();
    model.apply(logEvent(scheduler.time, 'x'));
    model.dispose();
    expect(scheduler.pending).toBe(0);
  });
});
