/** What happened to a file. A deleted folder is reported as `unlink` of the folder. */
export type FileChangeKind = 'add' | 'change' | 'unlink';

/** One file event, as the watcher reports it. */
export interface FileChange {
  /** Relative to the project folder, POSIX separators (`api/src/index.ts`). */
  path: string;
  kind: FileChangeKind;
  /** When the watcher saw it, on the injected clock: the start of edit-to-serving. */
  at: number;
}

/** File events that arrived close together, one entry per path with the net effect. */
export interface FileBatch {
  /** Sorted by path. */
  changes: readonly FileChange[];
  /** The earliest event: what a reload's edit-to-serving time is measured from. */
  firstAt: number;
  lastAt: number;
}
