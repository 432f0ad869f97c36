import type { SyncChanges, WatchAction, WatchPlan } from './watch-plan.js';

/**
 * The plan as text, one line per effect: what tests assert on and what `--verbose` can print.
 *   config: devenv.yaml
 *   api: sync api/src/a.ts → /app/src/a.ts, delete /app/src/b.ts
 *   web: run `npm install`, then restart (web/package.json)
 */
export function formatWatchPlan(plan: WatchPlan): string {
  const lines = plan.config.length > 0 ? [`config: ${plan.config.join(', ')}`] : [];
  for (const action of plan.actions) lines.push(`${action.service}: ${formatAction(action)}`);
  return lines.join('\n');
}

function formatAction(action: WatchAction): string {
  const files = `(${action.files.join(', ')})`;
  switch (action.kind) {
    case 'rebuild':
      return `rebuild ${files}`;
    case 'restart':
      return `restart ${files}`;
    case 'run': {
      const commands = action.commands.map((c) => `\`${c.join(' ')}\``).join(', ');
      const sync = action.sync ? `${formatSync(action.sync)}, then ` : '';
      return `${sync}run ${commands}, then restart ${files}`;
    }
    case 'sync':
      return `${formatSync(action.sync)}${action.restart ? ', then restart' : ''}`;
  }
}

function formatSync(sync: SyncChanges): string {
  const parts = [
    ...sync.copy.map((f) => `${f.path} → ${f.destination}`),
    ...sync.remove.map((f) => `delete ${f.destination}`),
  ];
  return `sync ${parts.join(', ')}`;
}
