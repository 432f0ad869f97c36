import type { ComposeEntity } from './compose-entity.js';
import type { WatchDraft } from './devenv-draft.js';
import { isRecord } from './is-record.js';
import { rebasePath } from './parse-compose-file.js';
import type { ServiceContext } from './service-context.js';

/** `develop.watch` → `watch` rules: `sync` (with a target, on services), `rebuild` (on builds), `restart`. */
export function convertDevelop(context: ServiceContext, entity: ComposeEntity, develop: unknown): void {
  if (!isRecord(develop)) return;
  const rules = Array.isArray(develop.watch) ? develop.watch : [];
  for (const rule of rules) {
    if (!isRecord(rule) || typeof rule.path !== 'string') continue;
    const paths = rebasePath(context.compose.dir, rule.path);
    const ignore = Array.isArray(rule.ignore) ? rule.ignore.map(String) : [];
    const action = String(rule.action);
    let watch: WatchDraft | undefined;
    if (
      (action === 'sync' || action.startsWith('sync+')) &&
      typeof rule.target === 'string' &&
      entity.section === 'services'
    ) {
      watch = { paths, action: 'sync', target: rule.target };
      if (action !== 'sync')
        context.warn(
          'develop.watch',
          `\`${action}\` became \`sync\`: devenv copies the files; add a \`restart\` rule for the same paths if the app does not reload itself`,
        );
    } else if (action === 'rebuild' && entity.spec.build !== undefined) watch = { paths, action: 'rebuild' };
    else if (action === 'restart') watch = { paths, action: 'restart' };
    if (watch === undefined) {
      context.warn('develop.watch', `\`${action}\` on ${rule.path} does not fit this service; left out`);
      continue;
    }
    if (ignore.length > 0) watch.ignore = ignore;
    entity.spec.watch = [...(entity.spec.watch ?? []), watch];
  }
  for (const key of Object.keys(develop))
    if (key !== 'watch') context.warn(`develop.${key}`, 'not supported; left out');
}
