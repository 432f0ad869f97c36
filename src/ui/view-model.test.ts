import { describe, expect, it } from 'vitest';
import type { EnvironmentSnapshot, ResourceStatus } from '../supervisor/environment-snapshot.js';
import type { LogEntry } from './log-lines.js';
import { initialUiState, type UiState } from './ui-state.js';
import {
  buildView,
  formatBytes,
  formatDuration,
  highlight,
  levelOf,
  nextTickIn,
  progressBar,
  searchPattern,
  type ViewContext,
} from './view-model.js';

const NOW = 1_700_000_000_000;

const resource = (overrides: Partial<ResourceStatus> & Pick<ResourceStatus, 'name'>): ResourceStatus => ({
  kind: 'service',
  state: 'ready',
  ports: [],
  restarts: 0,
  since: NOW - 5_000,
  ...overrides,
});

const snapshot = (resources: ResourceStatus[], state: EnvironmentSnapshot['state'] = 'ready') => ({
  project: 'shop',
  env: 'default',
  state,
  resources,
});

const context: ViewContext = {
  project: 'shop',
  branch: 'main',
  env: 'default',
  urls: { api: 'http://api.shop.localhost:7777' },
  routerUrl: 'router :7777',
  columns: 120,
  rows: 30,
  now: NOW,
};

const log = (seq: number, name: string, text: string): LogEntry => ({
  seq,
  at: NOW,
  name,
  stream: 'stdout',
  text,
});

const ui = (overrides: Partial<UiState> = {}): UiState => ({ ...initialUiState, ...overrides });

describe('buildView', () => {
  it('shows every resource with its state, where to reach it, reload time, uptime and usage', () => {
    const view = buildView(
      snapshot([
        resource({
          name: 'db',
          kind: 'dependency',
          ports: [{ container: 5432, host: 15432, hostIp: '127.0.0.1', protocol: 'tcp' }],
          usage: { cpuPercent: 1.234, memoryBytes: 50 * 1024 * 1024, at: NOW },
        }),
        resource({ name: 'api', lastReloadMs: 412, restarts: 2, since: NOW - 125_000 }),
      ]),
      ui(),
      [],
      context,
    );
    expect(view.title).toBe('devenv shop (main)');
    expect(view.state).toBe('ready');
    expect(
      view.rows.map((row) => [row.name, row.state, row.where, row.restarts, row.reload, row.uptime]),
    ).toEqual([
      ['db', 'ready', '127.0.0.1:15432', '', '', '<1m'],
      ['api', 'ready', 'http://api.shop.localhost:7777', '2', '412ms', '2m'],
    ]);
    expect(view.rows[0]).toMatchObject({ cpu: '1.2%', memory: '50M', selected: true });
    expect(view.rows[1]).toMatchObject({ cpu: '', memory: '', selected: false });
  });

  it('shows pull progress as a bar with bytes, layers and elapsed time', () => {
    const view = buildView(
      snapshot(
        [
          resource({
            name: 'db',
            kind: 'dependency',
            state: 'pulling',
            since: NOW - 12_000,
            pull: {
              currentBytes: 5 * 1024 * 1024,
              totalBytes: 10 * 1024 * 1024,
              layersDone: 2,
              layersTotal: 5,
            },
          }),
        ],
        'starting',
      ),
      ui(),
      [],
      context,
    );
    expect(view.rows[0]?.detail).toBe('12s [██████░░░░░░] 50% 5.0M/10M 2/5 layers');
    expect(view.stateTone).toBe('yellow');
  });

  it('says what a readiness wait awaits and for how long, with its own counter', () => {
    const view = buildView(
      snapshot([
        resource({
          name: 'db',
          state: 'starting',
          since: NOW - 7_000,
          detail: 'waiting for pg_isready (3s)',
        }),
      ]),
      ui(),
      [],
      context,
    );
    expect(view.rows[0]?.detail).toBe('7s waiting for pg_isready');
  });

  it('explains failures in place: exit code or what was checked, and the last lines', () => {
    const view = buildView(
      snapshot(
        [
          resource({
            name: 'api',
            state: 'crashed',
            detail: 'exited with code 1',
            lastLines: ['starting', 'connecting', 'Error: ECONNREFUSED', 'at main.js:3'],
          }),
          resource({
            name: 'db',
            state: 'failed',
            detail: 'db was not ready after 60s: checked tcp 127.0.0.1:5432, last result: refused.',
          }),
        ],
        'failed',
      ),
      ui(),
      [],
      context,
    );
    expect(view.problems).toEqual([
      {
        name: 'api',
        headline: 'api crashed: exited with code 1',
        lines: ['connecting', 'Error: ECONNREFUSED', 'at main.js:3'],
      },
      {
        name: 'db',
        headline: 'db failed: db was not ready after 60s: checked tcp 127.0.0.1:5432, last result: refused.',
        lines: [],
      },
    ]);
    expect(view.rows.map((row) => row.stateTone)).toEqual(['red', 'red']);
    expect(view.stateTone).toBe('red');
  });

  it('does not call an environment ready while something in it crashed since', () => {
    const view = buildView(
      snapshot([resource({ name: 'api', state: 'crashed', detail: 'exited with code 1' })], 'ready'),
      ui(),
      [],
      context,
    );
    expect(view.state).toBe('degraded: api crashed');
    expect(view.stateTone).toBe('red');
  });

  it('interleaves all services, or shows the focused one, newest at the bottom, filling the pane', () => {
    const logs = [log(0, 'api', 'one'), log(1, 'web', 'two'), log(2, 'api', 'three')];
    const all = buildView(
      snapshot([resource({ name: 'api' }), resource({ name: 'web' })]),
      ui(),
      logs,
      context,
    );
    expect(all.logLines.map((line) => line.segments[0]?.text)).toEqual(['one', 'two', 'three']);
    expect(all.logTitle).toBe('logs: all services (following)');
    expect(all.logLines.length + all.logPadding).toBe(context.rows - 5 - 2);
    const focused = buildView(snapshot([resource({ name: 'api' })]), ui({ focus: 'api' }), logs, context);
    expect(focused.logLines.map((line) => line.segments[0]?.text)).toEqual(['one', 'three']);
    expect(focused.logTitle).toBe('logs: api (following)');
  });

  it('keeps only the newest lines that fit and truncates long ones to the width', () => {
    const logs = Array.from({ length: 100 }, (_, i) => log(i, 'api', `line ${i} ${'x'.repeat(300)}`));
    const view = buildView(snapshot([resource({ name: 'api' })]), ui(), logs, { ...context, rows: 12 });
    expect(view.logLines).toHaveLength(12 - 5 - 1);
    expect(view.logLines.at(-1)?.segments[0]?.text.startsWith('line 99 ')).toBe(true);
    expect(view.logLines.at(-1)?.segments[0]?.text.length).toBeLessThan(context.columns);
  });

  it('paused, stays at its line and counts what arrived below; scrolled back, shows older lines', () => {
    const logs = Array.from({ length: 50 }, (_, i) => log(i, 'api', `line ${i}`));
    const small = { ...context, rows: 10 };
    const paused = buildView(snapshot([resource({ name: 'api' })]), ui({ pausedAt: 39 }), logs, small);
    expect(paused.logLines.at(-1)?.segments[0]?.text).toBe('line 39');
    expect(paused.logTitle).toBe('logs: all services (paused, 10 newer lines below)');
    const back = buildView(
      snapshot([resource({ name: 'api' })]),
      ui({ pausedAt: 39, scrollBack: 20 }),
      logs,
      small,
    );
    expect(back.logLines.at(-1)?.segments[0]?.text).toBe('line 19');
  });

  it('filters the logs by a literal, case-insensitive search and highlights the matches', () => {
    const logs = [
      log(0, 'api', 'GET /orders 200'),
      log(1, 'api', 'GET /users 200'),
      log(2, 'api', 'get (orders)'),
    ];
    const view = buildView(snapshot([resource({ name: 'api' })]), ui({ search: 'orders' }), logs, context);
    expect(view.logLines.map((line) => line.segments)).toEqual([
      [
        { text: 'GET /', highlight: false },
        { text: 'orders', highlight: true },
        { text: ' 200', highlight: false },
      ],
      [
        { text: 'get (', highlight: false },
        { text: 'orders', highlight: true },
        { text: ')', highlight: false },
      ],
    ]);
    expect(view.logTitle).toBe('logs: all services, matching /orders/ (following)');
  });

  it('strips colour codes and control characters from log lines', () => {
    const view = buildView(
      snapshot([resource({ name: 'api' })]),
      ui(),
      [log(0, 'api', '\u001b[31mred\u001b[0m\tdone\u0007')],
      context,
    );
    expect(view.logLines[0]?.segments[0]?.text).toBe('red  done');
  });

  it('shows the search prompt while typing, the help overlay on ?', () => {
    expect(buildView(snapshot([]), ui({ editingSearch: true, search: 'err' }), [], context).prompt).toBe(
      '/err',
    );
    expect(buildView(snapshot([]), ui({ help: true }), [], context).help?.length).toBeGreaterThan(8);
  });
});

describe('formatting', () => {
  it('marks errors and warnings', () => {
    expect(levelOf({ text: 'Error: boom', stream: 'stderr' })).toBe('error');
    expect(levelOf({ text: 'WARN deprecated', stream: 'stdout' })).toBe('warn');
    expect(levelOf({ text: 'GET /errors-page 200', stream: 'stdout' })).toBeUndefined();
  });

  it('escapes the search so any text is searchable', () => {
    expect(searchPattern('a(b')?.test('xa(by')).toBe(true);
    expect(searchPattern('')).toBeUndefined();
    expect(highlight('abc', undefined)).toEqual([{ text: 'abc', highlight: false }]);
  });

  it('formats durations, sizes and bars', () => {
    expect([formatDuration(59_999), formatDuration(60_000), formatDuration(3_723_000)]).toEqual([
      '59s',
      '1m',
      '1h02m',
    ]);
    expect([formatBytes(512 * 1024), formatBytes(3.5 * 1024 * 1024), formatBytes(2 * 1024 ** 3)]).toEqual([
      '512K',
      '3.5M',
      '2.0G',
    ]);
    expect(progressBar(0.25, 4)).toBe('[█░░░]');
  });

  it('ticks every second while something is in progress, otherwise when an uptime rolls over a minute', () => {
    const starting = snapshot([resource({ name: 'db', state: 'starting', since: NOW - 1_500 })]);
    const young = snapshot([resource({ name: 'api', since: NOW - 1_000 })]);
    const settled = snapshot([resource({ name: 'api', since: NOW - 3_600_000 - 15_000 })]);
    expect(nextTickIn(starting, NOW)).toBeLessThanOrEqual(1000);
    expect(nextTickIn(young, NOW)).toBe(59_000);
    expect(nextTickIn(settled, NOW)).toBe(45_000);
  });
});
