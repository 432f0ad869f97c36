import { describe, expect, it } from 'vitest';
import type { EnvironmentSnapshot } from '../supervisor/environment-snapshot.js';
import { handleKey, type KeyContext } from './key-controller.js';
import { initialUiState, type UiState } from './ui-state.js';

const snapshot: EnvironmentSnapshot = {
  project: 'shop',
  env: 'default',
  state: 'ready',
  resources: ['db', 'api', 'web'].map((name) => ({
    name,
    kind: name === 'db' ? 'dependency' : 'service',
    state: 'ready',
    ports: [],
    restarts: 0,
    since: 0,
  })),
};
const context: KeyContext = {
  snapshot,
  urls: { api: 'http://api.shop.localhost:7777' },
  newestLog: 41,
  pageSize: 10,
};
const press = (state: UiState, ...keys: Parameters<typeof handleKey>[1][]) =>
  keys.reduce<{ state: UiState; command?: unknown }>((last, key) => handleKey(last.state, key, context), {
    state,
  });

describe('handleKey', () => {
  it('selects with the arrows, within the table', () => {
    expect(
      press(initialUiState, { input: '', downArrow: true }, { input: '', downArrow: true }).state.selected,
    ).toBe(2);
    expect(press(initialUiState, ...Array(5).fill({ input: '', downArrow: true })).state.selected).toBe(2);
    expect(press(initialUiState, { input: '', upArrow: true }).state.selected).toBe(0);
  });

  it('acts on the selected row: r restarts, b rebuilds, o opens its URL', () => {
    const api = { ...initialUiState, selected: 1 };
    expect(handleKey(api, { input: 'r' }, context).command).toEqual({ kind: 'restart', name: 'api' });
    expect(handleKey(api, { input: 'b' }, context).command).toEqual({ kind: 'rebuild', name: 'api' });
    expect(handleKey(api, { input: 'o' }, context).command).toEqual({
      kind: 'open',
      name: 'api',
      url: 'http://api.shop.localhost:7777',
    });
  });

  it('says so when the selection has no URL to open', () => {
    const result = handleKey(initialUiState, { input: 'o' }, context);
    expect(result.command).toBeUndefined();
    expect(result.state.notice).toEqual({ text: 'db has no URL to open', tone: 'error' });
  });

  it('enter focuses the selected service, esc goes back to all', () => {
    const focused = press({ ...initialUiState, selected: 2 }, { input: '', return: true }).state;
    expect(focused.focus).toBe('web');
    expect(press(focused, { input: '', escape: true }).state.focus).toBeUndefined();
  });

  it('/ edits a search that keys do not trigger actions in; enter keeps it, esc clears it', () => {
    const typed = press(
      initialUiState,
      { input: '/' },
      { input: 'q' },
      { input: 'r' },
      { input: 'x' },
      {
        input: '',
        backspace: true,
      },
    );
    expect(typed.command).toBeUndefined();
    expect(typed.state).toMatchObject({ editingSearch: true, search: 'qr' });
    expect(press(typed.state, { input: '', return: true }).state).toMatchObject({
      editingSearch: false,
      search: 'qr',
    });
    expect(press(typed.state, { input: '', escape: true }).state).toMatchObject({
      editingSearch: false,
      search: '',
    });
  });

  it('text and enter arriving in one chunk end the search with the text', () => {
    const typed = press(initialUiState, { input: '/' }, { input: 'listening\r' });
    expect(typed.state).toMatchObject({ editingSearch: false, search: 'listening' });
  });

  it('p pauses at the newest line and follows again; page up/down scroll and page down past the end follows', () => {
    const paused = press(initialUiState, { input: 'p' }).state;
    expect(paused.pausedAt).toBe(41);
    expect(press(paused, { input: 'p' }).state.pausedAt).toBeUndefined();
    const back = press(initialUiState, { input: '', pageUp: true }, { input: '', pageUp: true }).state;
    expect(back).toMatchObject({ pausedAt: 41, scrollBack: 20 });
    expect(press(back, { input: '', pageDown: true }).state).toMatchObject({ pausedAt: 41, scrollBack: 10 });
    expect(press(back, { input: '', pageDown: true }, { input: '', pageDown: true }).state).toMatchObject({
      pausedAt: undefined,
      scrollBack: 0,
    });
  });

  it('d detaches, q quits, Ctrl-C quits as an interruption', () => {
    expect(handleKey(initialUiState, { input: 'd' }, context).command).toEqual({ kind: 'detach' });
    expect(handleKey(initialUiState, { input: 'q' }, context).command).toEqual({ kind: 'quit' });
    expect(handleKey(initialUiState, { input: 'c', ctrl: true }, context).command).toEqual({
      kind: 'quit',
      interrupted: true,
    });
  });

  it('? shows the help, and any key closes it without acting', () => {
    const help = press(initialUiState, { input: '?' }).state;
    expect(help.help).toBe(true);
    const closed = handleKey(help, { input: 'q' }, context);
    expect(closed.state.help).toBe(false);
    expect(closed.command).toBeUndefined();
  });
});
