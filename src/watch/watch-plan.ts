/** A file to copy into, or delete from, a running container. */
export interface SyncedFile {
  /** Relative to the project folder, POSIX. */
  path: string;
  /** Absolute path inside the container. */
  destination: string;
}

/** What a `sync` puts into the container: changed and added files to copy, deleted ones to remove. */
export interface SyncChanges {
  copy: readonly SyncedFile[];
  remove: readonly SyncedFile[];
}

/**
 * The one thing a service does for a batch: the strongest action its matching rules ask for
 * (rebuild > run > sync > restart), carrying what the weaker ones need so that nothing is lost.
 */
export type WatchAction =
  | { kind: 'rebuild'; service: string; files: readonly string[] }
  | {
      kind: 'run';
      service: string;
      files: readonly string[];
      /** Run these in order where the service runs, then restart it. */
      commands: readonly (readonly string[])[];
      /** Copy these first, when `sync` rules matched too. */
      sync: SyncChanges | undefined;
    }
  | {
      kind: 'sync';
      service: string;
      files: readonly string[];
      sync: SyncChanges;
      /** Restart after copying, when a `restart` rule matched too. */
      restart: boolean;
    }
  | { kind: 'restart'; service: string; files: readonly string[] };

/** What to do about one batch of file changes. */
export interface WatchPlan {
  /** devenv.yaml / .env files that changed: reload the configuration and reconcile what it changed. */
  config: readonly string[];
  /** One action per affected service, in the order the services are given. */
  actions: readonly WatchAction[];
  /** The batch's first event: edit-to-serving is measured from here. */
  since: number;
}
