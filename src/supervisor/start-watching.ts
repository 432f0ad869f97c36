import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { Clock } from '../util/clock.js';
import { configFilesOf } from '../watch/config-files.js';
import { debounceBatches } from '../watch/debounce-batches.js';
import type { FileBatch } from '../watch/file-change.js';
import { planWatchActions } from '../watch/plan-watch-actions.js';
import { watchFiles } from '../watch/watch-files.js';
import { watchKeepPaths } from '../watch/watch-keep-paths.js';
import type { WatchAction } from '../watch/watch-plan.js';

export interface WatchingOptions {
  /** The environment as it runs now (watch rules change when devenv.yaml does). */
  current: () => ResolvedEnvironment;
  clock: Clock;
  /** devenv.yaml or an .env layer changed: reload and reconcile what changed. */
  onConfigChanged: (files: readonly string[]) => void;
  /** One service's action for one batch; `since` is the batch's first file event. */
  onAction: (action: WatchAction, since: number) => void;
  /**
   * The first file event of a batch would restart this service (`restart` action): it may stop the
   * process now; `onAction` follows once the batch settles.
   */
  onPrepare?: (service: string, since: number) => void;
  log: (line: string) => void;
}

/** file events → debounced batches → a pure plan → the supervisor's actions. */
export async function startWatching(options: WatchingOptions): Promise<{ close(): Promise<void> }> {
  const environment = options.current();
  const { projectDir } = environment;
  // Read per batch: rules and `env_files` added to devenv.yaml count from its reload on.
  const planFor = (batch: FileBatch) => {
    const now = options.current();
    return planWatchActions({ batch, services: now.services, projectDir, configFiles: configFilesFor(now) });
  };
  const debouncer = debounceBatches({
    clock: options.clock,
    onBatch: (batch) => {
      const plan = planFor(batch);
      if (plan.config.length > 0) options.onConfigChanged(plan.config);
      for (const action of plan.actions) options.onAction(action, plan.since);
    },
    onOpen: (change) => {
      if (!options.onPrepare) return;
      const batch = { changes: [change], firstAt: change.at, lastAt: change.at };
      const plan = planFor(batch);
      for (const action of plan.actions) {
        if (action.kind === 'restart') options.onPrepare(action.service, plan.since);
      }
    },
    onError: (error) => options.log(`watch: ${(error as Error).message}`),
  });
  const watcher = await watchFiles({
    projectDir,
    clock: options.clock,
    onChange: (change) => debouncer.push(change),
    onActivity: (path) => debouncer.touch(path),
    onError: (error) => options.log(`watch: ${error.message}`),
    keep: watchKeepPaths(environment.services, configFilesFor(environment)),
  });
  return {
    close: async () => {
      debouncer.close();
      await watcher.close();
    },
  };
}

/** devenv.yaml, the .env layers of the environment's mode and its `env_files`. */
function configFilesFor(environment: ResolvedEnvironment): string[] {
  return configFilesOf({
    projectDir: environment.projectDir,
    configFile: environment.configFile,
    mode: environment.preview ? 'preview' : 'development',
    envFiles: environment.envFiles,
  });
}
