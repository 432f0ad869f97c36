import type { ResourceState } from '../events/resource-state.js';
import type { EnvironmentSnapshot, ResourceStatus } from '../supervisor/environment-snapshot.js';
import type { LogEntry } from './log-lines.js';
import type { Notice, UiState } from './ui-state.js';

/** Colour names ink understands; the components drop them all under NO_COLOR. */
export type Tone = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white';

/** What the TUI knows besides the snapshot: names and URLs from devenv.yaml, the terminal. */
export interface ViewContext {
  project: string;
  branch: string | undefined;
  env: string;
  /** Where a user reaches each service (router URL) or dependency (host port). */
  urls: Readonly<Record<string, string>>;
  routerUrl: string | undefined;
  columns: number;
  rows: number;
  now: number;
}

export interface RowView {
  name: string;
  nameTone: Tone;
  kind: 'dependency' | 'service';
  selected: boolean;
  state: string;
  stateTone: Tone;
  where: string;
  restarts: string;
  reload: string;
  uptime: string;
  cpu: string;
  memory: string;
  /** Progress bar, what readiness awaits, why it stopped. */
  detail: string;
}

export interface ProblemView {
  name: string;
  headline: string;
  lines: readonly string[];
}

export interface Segment {
  text: string;
  highlight: boolean;
}

export interface LogLineView {
  key: number;
  time: string;
  name: string;
  nameTone: Tone;
  segments: readonly Segment[];
  /** Errors and warnings stand out. */
  tone: 'error' | 'warn' | undefined;
}

export interface TuiView {
  title: string;
  state: string;
  stateTone: Tone;
  where: string;
  columns: number;
  /** The URL column fits the longest URL (branch URLs are long), within reason. */
  whereWidth: number;
  rows: readonly RowView[];
  problems: readonly ProblemView[];
  logTitle: string;
  logLines: readonly LogLineView[];
  /** Empty lines to keep the help line at the bottom. */
  logPadding: number;
  prompt: string | undefined;
  notice: Notice | undefined;
  helpLine: string;
  help: readonly (readonly [string, string])[] | undefined;
}

export const KEYS: readonly (readonly [string, string])[] = [
  ['↑ ↓', 'select a dependency or service'],
  ['enter', "show only the selected service's logs (esc: all again)"],
  ['r', 'restart the selected service or dependency'],
  ['b', 'rebuild its image and replace the container (services with build:)'],
  ['o', 'open its URL in the browser'],
  ['/', 'search the logs (enter keeps the search, esc clears it)'],
  ['p', 'pause / follow the logs'],
  ['pgup pgdn', 'scroll the logs back and forth (pauses)'],
  ['d', 'detach: leave the environment running and exit'],
  ['q  ctrl-c', 'quit: stop the services (dependencies keep running for a fast next start)'],
  ['?', 'this help (any key closes it)'],
];

const HELP_LINE =
  '↑↓ select  enter logs  r restart  b rebuild  o open  / search  p pause  d detach  q quit  ? help';

const NAME_TONES: readonly Tone[] = ['cyan', 'magenta', 'blue', 'yellow', 'green', 'white'];

const STATE_TONES: Record<ResourceState, Tone> = {
  pending: 'gray',
  pulling: 'blue',
  building: 'blue',
  starting: 'yellow',
  ready: 'green',
  restarting: 'yellow',
  crashed: 'red',
  stopped: 'gray',
  failed: 'red',
};

/** Header, blank, table heading, help line, and the log pane's title: lines always taken. */
const FIXED_LINES = 5;
const PROBLEM_LINES = 4;

/** The whole screen as data: a pure function of the supervisor's snapshot, the user's UI state and the logs. */
export function buildView(
  snapshot: EnvironmentSnapshot,
  ui: UiState,
  logs: readonly LogEntry[],
  context: ViewContext,
): TuiView {
  const tones = new Map(
    snapshot.resources.map((r, i): [string, Tone] => [r.name, NAME_TONES[i % NAME_TONES.length] ?? 'white']),
  );
  const selected = clampSelection(ui.selected, snapshot.resources.length);
  const rows = snapshot.resources.map((resource, index) =>
    rowView(resource, index === selected, tones.get(resource.name) ?? 'white', context),
  );
  const problems = snapshot.resources.flatMap((resource) => problemView(resource));
  const problemLines = problems.reduce((sum, p) => sum + 1 + p.lines.length, 0);
  // The search prompt or a notice takes a line above the help line, which always stays.
  const extraLine = ui.editingSearch || ui.notice !== undefined ? 1 : 0;
  const logHeight = Math.max(
    1,
    context.rows -
      FIXED_LINES -
      extraLine -
      rows.length -
      Math.min(problemLines, problems.length * PROBLEM_LINES + 2),
  );
  const { lines, title } = logPane(ui, logs, tones, logHeight, context.columns);
  const branch = context.branch ? ` (${context.branch})` : '';
  return {
    title: `devenv ${context.project}${branch}`,
    state: headerState(snapshot, problems),
    stateTone:
      snapshot.state === 'ready' && problems.length === 0
        ? 'green'
        : snapshot.state === 'failed' || (snapshot.state === 'ready' && problems.length > 0)
          ? 'red'
          : snapshot.state === 'stopped'
            ? 'gray'
            : 'yellow',
    where: context.routerUrl ?? '',
    columns: context.columns,
    whereWidth: Math.min(64, Math.max(12, ...rows.map((row) => row.where.length + 2))),
    rows,
    problems: trimProblems(problems),
    logTitle: title,
    logLines: lines,
    logPadding: Math.max(0, logHeight - lines.length),
    prompt: ui.editingSearch ? `/${ui.search}` : undefined,
    notice: ui.notice,
    helpLine: HELP_LINE,
    help: ui.help ? KEYS : undefined,
  };
}

/** "ready" was true when `up` finished; a crash since then must not hide behind it. */
function headerState(snapshot: EnvironmentSnapshot, problems: readonly ProblemView[]): string {
  if (snapshot.state === 'ready' && problems.length > 0) {
    return `degraded: ${problems.map((problem) => problem.headline.split(':')[0]).join(', ')}`;
  }
  return snapshot.state + (snapshot.detail ? `: ${snapshot.detail}` : '');
}

export function clampSelection(selected: number, count: number): number {
  return Math.max(0, Math.min(selected, count - 1));
}

function rowView(resource: ResourceStatus, selected: boolean, nameTone: Tone, context: ViewContext): RowView {
  const running = resource.state === 'ready' || resource.state === 'starting';
  return {
    name: resource.name,
    nameTone,
    kind: resource.kind,
    selected,
    state: resource.state,
    stateTone: STATE_TONES[resource.state],
    where: context.urls[resource.name] ?? resource.ports.map((port) => `127.0.0.1:${port.host}`).join(' '),
    restarts: resource.restarts > 0 ? String(resource.restarts) : '',
    reload: resource.lastReloadMs === undefined ? '' : formatMs(resource.lastReloadMs),
    uptime: resource.state === 'ready' ? formatUptime(context.now - resource.since) : '',
    cpu: running && resource.usage ? `${resource.usage.cpuPercent.toFixed(1)}%` : '',
    memory: running && resource.usage ? formatBytes(resource.usage.memoryBytes) : '',
    detail: detailOf(resource, context.now),
  };
}

/** What the row's last column says: progress while it gets there, the reason when it is not there. */
function detailOf(resource: ResourceStatus, now: number): string {
  const elapsed = formatDuration(now - resource.since);
  if (resource.state === 'pulling' && resource.pull) {
    const { currentBytes, totalBytes, layersDone, layersTotal } = resource.pull;
    const fraction = totalBytes > 0 ? currentBytes / totalBytes : 0;
    return `${elapsed} ${progressBar(fraction, 12)} ${Math.round(fraction * 100)}% ${formatBytes(currentBytes)}/${formatBytes(totalBytes)} ${layersDone}/${layersTotal} layers`;
  }
  if (resource.state === 'building' || resource.state === 'starting' || resource.state === 'restarting') {
    // The detail already names what is awaited ("waiting for tcp :5432"); the stale "(4s)" gives way to ours.
    // Elapsed first: a long probe description is what gets truncated, not the counter.
    const what = resource.detail?.replace(/\s*\(\d+s\)$/, '') ?? '';
    return `${elapsed}${what ? ` ${what}` : ''}`;
  }
  if (resource.state === 'crashed' || resource.state === 'failed') return firstLine(resource.detail ?? '');
  return '';
}

/** Failures explained in place: the exit code or what was checked, with the last lines of output. */
function problemView(resource: ResourceStatus): ProblemView[] {
  if (resource.state !== 'crashed' && resource.state !== 'failed') return [];
  return [
    {
      name: resource.name,
      headline: `${resource.name} ${resource.state}${resource.detail ? `: ${resource.detail}` : ''}`,
      lines: (resource.lastLines ?? []).slice(-(PROBLEM_LINES - 1)),
    },
  ];
}

/** Two failures at most get their lines; a third would take the log pane away. */
function trimProblems(problems: readonly ProblemView[]): ProblemView[] {
  return problems.map((problem, index) => (index < 2 ? problem : { ...problem, lines: [] }));
}

function logPane(
  ui: UiState,
  logs: readonly LogEntry[],
  tones: ReadonlyMap<string, Tone>,
  height: number,
  columns: number,
): { lines: LogLineView[]; title: string } {
  const pattern = searchPattern(ui.search);
  const matching = logs.filter(
    (entry) =>
      (ui.focus === undefined || entry.name === ui.focus) &&
      (pattern === undefined || pattern.test(entry.text)),
  );
  let visible = matching;
  let below = 0;
  if (ui.pausedAt !== undefined) {
    const pausedAt = ui.pausedAt;
    const upTo = matching.filter((entry) => entry.seq <= pausedAt);
    below = matching.length - upTo.length;
    const scrollBack = Math.min(ui.scrollBack, Math.max(0, upTo.length - height));
    below += scrollBack;
    visible = upTo.slice(0, upTo.length - scrollBack);
  }
  const shown = visible.slice(-height);
  const nameWidth = Math.min(14, Math.max(0, ...shown.map((entry) => entry.name.length)));
  const textWidth = Math.max(10, columns - 9 - nameWidth - 3);
  const lines = shown.map(
    (entry): LogLineView => ({
      key: entry.seq,
      time: clock(entry.at),
      name: entry.name.padEnd(nameWidth).slice(0, nameWidth),
      nameTone: tones.get(entry.name) ?? 'white',
      segments: highlight(truncate(entry.text, textWidth), pattern),
      tone: levelOf(entry),
    }),
  );
  const scope = ui.focus === undefined ? 'all services' : ui.focus;
  const search = ui.search ? `, matching /${ui.search}/` : '';
  const mode =
    ui.pausedAt === undefined
      ? 'following'
      : `paused${below > 0 ? `, ${below} newer line${below === 1 ? '' : 's'} below` : ''}`;
  return { lines, title: `logs: ${scope}${search} (${mode})` };
}

/** The search is literal text, case-insensitive: a user typing `(` must not get a regex error. */
export function searchPattern(search: string): RegExp | undefined {
  if (search === '') return undefined;
  return new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

export function highlight(text: string, pattern: RegExp | undefined): Segment[] {
  if (pattern === undefined) return [{ text, highlight: false }];
  const global = new RegExp(pattern.source, 'gi');
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(global)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index), highlight: false });
    segments.push({ text: match[0], highlight: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), highlight: false });
  return segments;
}

export function levelOf(entry: Pick<LogEntry, 'text' | 'stream'>): 'error' | 'warn' | undefined {
  if (/\b(error|fatal|panic|exception|uncaught)\b/i.test(entry.text)) return 'error';
  if (/\bwarn(ing)?\b/i.test(entry.text)) return 'warn';
  return undefined;
}

export function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Minutes are enough for an uptime, and need a redraw once a minute instead of every second. */
export function formatUptime(ms: number): string {
  return ms < 60_000 ? '<1m' : formatDuration(ms);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}K`;
  if (bytes < 1024 * 1024 * 1024)
    return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)}M`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)}G`;
}

/**
 * When the screen next changes on its own, so the TUI redraws then and not on a fixed tick: every
 * second while something is in progress (its elapsed counter), otherwise when the next uptime rolls
 * over to a new minute (uptimes under a minute show as `<1m`). Idle, that is once a minute at most.
 */
export function nextTickIn(snapshot: EnvironmentSnapshot, now: number): number {
  if (isBusy(snapshot)) return 1000 - (now % 1000);
  const rollovers = snapshot.resources
    .filter((r) => r.state === 'ready')
    .map((r) => 60_000 - (Math.max(0, now - r.since) % 60_000));
  return Math.min(60_000, ...rollovers);
}

/** Something is pulling, building, starting or restarting: its elapsed time counts every second. */
export function isBusy(snapshot: EnvironmentSnapshot): boolean {
  return snapshot.resources.some((r) => IN_PROGRESS.has(r.state));
}

const IN_PROGRESS: ReadonlySet<ResourceState> = new Set([
  'pending',
  'pulling',
  'building',
  'starting',
  'restarting',
]);

function truncate(text: string, width: number): string {
  // Colour codes, tabs and control characters would break the layout; the full line stays in `devenv logs`.
  const clean = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\t/g, '  ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > width ? `${clean.slice(0, width - 1)}…` : clean;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}
