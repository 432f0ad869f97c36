import type { EnvironmentSnapshot } from '../supervisor/environment-snapshot.js';
import type { UiState } from './ui-state.js';
import { clampSelection } from './view-model.js';

/** The keys ink reports, reduced to what the controller reads. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

/** What a key asks of the supervisor or the machine; the TUI runs it and reports the outcome. */
export type UiCommand =
  | { kind: 'restart'; name: string }
  | { kind: 'rebuild'; name: string }
  | { kind: 'open'; name: string; url: string }
  | { kind: 'detach' }
  /** `interrupted`: Ctrl-C rather than `q` (the exit code says so). */
  | { kind: 'quit'; interrupted?: boolean };

export interface KeyContext {
  snapshot: EnvironmentSnapshot;
  urls: Readonly<Record<string, string>>;
  /** The newest log line's sequence number (where `p` pauses). */
  newestLog: number;
  /** Lines in the log pane (how far page up/down moves). */
  pageSize: number;
}

/** Pure: one key press → the next UI state and at most one command. */
export function handleKey(
  state: UiState,
  key: KeyPress,
  context: KeyContext,
): { state: UiState; command?: UiCommand } {
  if (key.ctrl && key.input === 'c') return { state, command: { kind: 'quit', interrupted: true } };
  if (state.help) return { state: { ...state, help: false } };
  if (state.editingSearch) return { state: editSearch(state, key) };

  const resources = context.snapshot.resources;
  const selected = resources[clampSelection(state.selected, resources.length)];
  const cleared = { ...state, notice: undefined };
  if (key.upArrow)
    return { state: { ...cleared, selected: clampSelection(state.selected - 1, resources.length) } };
  if (key.downArrow)
    return { state: { ...cleared, selected: clampSelection(state.selected + 1, resources.length) } };
  if (key.pageUp) {
    return {
      state: {
        ...cleared,
        pausedAt: state.pausedAt ?? context.newestLog,
        scrollBack: state.scrollBack + context.pageSize,
      },
    };
  }
  if (key.pageDown) {
    if (state.pausedAt === undefined) return { state: cleared };
    const scrollBack = state.scrollBack - context.pageSize;
    // Past the pause point: back to following, which is where "down" ends.
    return scrollBack <= 0
      ? { state: { ...cleared, pausedAt: undefined, scrollBack: 0 } }
      : { state: { ...cleared, scrollBack } };
  }
  if (key.return) return { state: { ...cleared, focus: selected?.name } };
  if (key.escape) {
    return { state: { ...cleared, focus: undefined, search: '', pausedAt: undefined, scrollBack: 0 } };
  }
  switch (key.input) {
    case 'q':
      return { state, command: { kind: 'quit' } };
    case 'd':
      return { state, command: { kind: 'detach' } };
    case '?':
      return { state: { ...cleared, help: true } };
    case '/':
      return { state: { ...cleared, editingSearch: true, search: '' } };
    case 'p':
      return {
        state: {
          ...cleared,
          pausedAt: state.pausedAt === undefined ? context.newestLog : undefined,
          scrollBack: 0,
        },
      };
    case 'r':
      return selected ? { state: cleared, command: { kind: 'restart', name: selected.name } } : { state };
    case 'b':
      return selected ? { state: cleared, command: { kind: 'rebuild', name: selected.name } } : { state };
    case 'o': {
      if (!selected) return { state };
      const url = context.urls[selected.name];
      return url
        ? { state: cleared, command: { kind: 'open', name: selected.name, url } }
        : { state: { ...state, notice: { text: `${selected.name} has no URL to open`, tone: 'error' } } };
    }
    default:
      return { state };
  }
}

function editSearch(state: UiState, key: KeyPress): UiState {
  if (key.escape) return { ...state, editingSearch: false, search: '' };
  if (key.return) return { ...state, editingSearch: false };
  if (key.backspace || key.delete) return { ...state, search: state.search.slice(0, -1) };
  if (key.ctrl || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return state;
  // Typed fast (or pasted), text and the final enter can arrive as one chunk.
  const end = key.input.search(/[\r\n]/);
  if (end !== -1) return { ...state, editingSearch: false, search: state.search + key.input.slice(0, end) };
  return { ...state, search: state.search + key.input };
}
