import type { ComposeEntity } from './compose-entity.js';
import type { Condition } from './devenv-draft.js';
import { type ComposeDependsOn, parseDependsOn } from './parse-depends-on.js';
import type { ServiceContext } from './service-context.js';

/**
 * `depends_on:` → devenv's list form (which waits for `healthy` where it can) or its map of conditions.
 * Runs once every entity has its kind and readiness: `byCompose` finds them by Compose name.
 */
export function convertDependsOn(
  context: ServiceContext,
  entity: ComposeEntity,
  value: unknown,
  byCompose: ReadonlyMap<string, ComposeEntity>,
): void {
  const parsed = parseDependsOn(value);
  if (!parsed.ok) {
    context.warn('depends_on', `${parsed.problem}; left out`);
    return;
  }
  const list: string[] = [];
  const map: Record<string, Condition> = {};
  for (const edge of parsed.value) {
    const target = byCompose.get(edge.name);
    if (!target) {
      context.warn('depends_on', `\`${edge.name}\` is not a converted service; left out`);
      continue;
    }
    const key = `depends_on.${edge.name}`;
    if (!edge.required)
      context.warn(key, '`required: false`: devenv always starts what a service depends on');
    if (edge.restart)
      context.warn(
        key,
        '`restart: true` is not supported: devenv does not restart a service when its dependency restarts',
      );
    if (edge.fromList) list.push(target.name);
    else map[target.name] = condition(context, edge, target);
  }
  if (list.length > 0) entity.spec.depends_on = list;
  else if (Object.keys(map).length > 0) entity.spec.depends_on = map;
}

function condition(context: ServiceContext, edge: ComposeDependsOn, target: ComposeEntity): Condition {
  if (edge.condition === 'service_completed_successfully') return 'completed';
  if (edge.condition !== 'service_healthy') return 'started';
  if (target.hasReady) return 'healthy';
  context.warn(
    `depends_on.${edge.name}`,
    `\`${edge.name}\` has no readiness check, so devenv waits until it is started; add \`ready:\` to it, then \`healthy\``,
  );
  return 'started';
}
