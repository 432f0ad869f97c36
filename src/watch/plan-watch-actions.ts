import { isAbsolute, posix, relative } from 'node:path';
import type { ResolvedService } from '../model/resolved-service.js';
import { type CompiledWatchRule, compileWatchRule, normalizeEntry } from './compile-watch-rule.js';
import type { FileBatch, FileChange } from './file-change.js';
import type { SyncChanges, SyncedFile, WatchAction, WatchPlan } from './watch-plan.js';

export interface PlanWatchActionsInput {
  batch: FileBatch;
  services: readonly ResolvedService[];
  /** Absolute project folder; batch paths are relative to it. */
  projectDir: string;
  /** devenv.yaml and the .env layers, absolute or relative to `projectDir`. */
  configFiles: readonly string[];
}

/**
 * Pure: maps a batch of file changes to per-service actions using each service's watch rules, and
 * reports changes to the configuration separately — those are the supervisor's to reconcile, not a
 * reason to restart whatever happens to watch the project root.
 */
export function planWatchActions(input: PlanWatchActionsInput): WatchPlan {
  const configFiles = new Set(input.configFiles.map((file) => toProjectPath(input.projectDir, file)));
  const config = input.batch.changes.filter((c) => configFiles.has(c.path)).map((c) => c.path);
  const changes = input.batch.changes.filter((c) => !configFiles.has(c.path));
  const actions = input.services
    .map((service) => planService(service, changes))
    .filter((action) => action !== undefined);
  return { config, actions, since: input.batch.firstAt };
}

function planService(service: ResolvedService, changes: readonly FileChange[]): WatchAction | undefined {
  const rules = service.watch.map(compileWatchRule);
  const matched = rules
    .map((rule) => ({ rule, changes: changes.filter((c) => rule.matches(c.path)) }))
    .filter((m) => m.changes.length > 0);
  if (matched.length === 0) return undefined;
  const name = service.name;
  const files = [...new Set(matched.flatMap((m) => m.changes.map((c) => c.path)))].sort();
  const kinds = new Set(matched.map((m) => m.rule.rule.action.kind));
  if (kinds.has('rebuild')) return { kind: 'rebuild', service: name, files };
  const sync = kinds.has('sync') ? syncChanges(matched) : undefined;
  if (kinds.has('run')) {
    const commands = matched.flatMap((m) =>
      m.rule.rule.action.kind === 'run' ? [m.rule.rule.action.command] : [],
    );
    return { kind: 'run', service: name, files, commands: uniqueCommands(commands), sync };
  }
  if (sync) return { kind: 'sync', service: name, files, sync, restart: kinds.has('restart') };
  return { kind: 'restart', service: name, files };
}

/** Each file goes where the first `sync` rule that matches it says. */
function syncChanges(
  matched: readonly { rule: CompiledWatchRule; changes: readonly FileChange[] }[],
): SyncChanges {
  const seen = new Map<string, { file: SyncedFile; removed: boolean }>();
  for (const { rule, changes } of matched) {
    const action = rule.rule.action;
    if (action.kind !== 'sync') continue;
    for (const change of changes) {
      if (seen.has(change.path)) continue;
      const file = { path: change.path, destination: rule.destination(change.path, action.target) };
      seen.set(change.path, { file, removed: change.kind === 'unlink' });
    }
  }
  const entries = [...seen.values()].sort((a, b) => (a.file.path < b.file.path ? -1 : 1));
  return {
    copy: entries.filter((e) => !e.removed).map((e) => e.file),
    remove: entries.filter((e) => e.removed).map((e) => e.file),
  };
}

function uniqueCommands(commands: readonly (readonly string[])[]): (readonly string[])[] {
  const seen = new Set<string>();
  return commands.filter((command) => {
    const key = JSON.stringify(command);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toProjectPath(projectDir: string, file: string): string {
  const path = file.replaceAll('\\', '/');
  return normalizeEntry(
    isAbsolute(path) ? posix.normalize(relative(projectDir, path).replaceAll('\\', '/')) : path,
  );
}
