/** What the user changed on screen; everything else the TUI shows comes from the supervisor's snapshot. */
export interface UiState {
  /** Index of the selected row in the table. */
  selected: number;
  /** A service whose logs fill the pane (`enter`), or undefined for all services interleaved. */
  focus: string | undefined;
  /**
   * Paused at this line (its sequence number): the pane stays where it is while lines keep arriving
   * (`p`, or scrolling back). Undefined while following.
   */
  pausedAt: number | undefined;
  /** Lines scrolled back from the pause point (page up / page down). */
  scrollBack: number;
  /** The active search; lines that match are shown, the match highlighted. */
  search: string;
  /** Typing a search after `/`. */
  editingSearch: boolean;
  /** The `?` overlay with every key. */
  help: boolean;
  /** One line of feedback for the last action ("restarting api…", or why it failed). */
  notice: Notice | undefined;
}

export interface Notice {
  text: string;
  tone: 'info' | 'error';
}

export const initialUiState: UiState = {
  selected: 0,
  focus: undefined,
  pausedAt: undefined,
  scrollBack: 0,
  search: '',
  editingSearch: false,
  help: false,
  notice: undefined,
};
