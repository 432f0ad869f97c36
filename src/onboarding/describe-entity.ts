import type { ComposeEntity } from './compose-entity.js';

/** The comment above the entity in devenv.yaml: where it came from and what to check. */
export function describeEntity(entity: ComposeEntity, service: Record<string, unknown>): string {
  const from = `From Compose service \`${entity.compose}\``;
  const source = typeof service.image === 'string' ? service.image : 'build';
  if (entity.preset)
    return `${from} (${source}): the ${entity.preset.name} preset adds readiness, a data volume and outputs such as \${${entity.name}.url}.`;
  if (entity.spec.restart === 'no')
    return `${from} (${source}): a one-shot task others wait for (\`completed\`).`;
  if (entity.section === 'services' && entity.spec.build !== undefined)
    return `${from}: built from its Dockerfile. Check \`port\` (its URL) and \`watch\` (hot reload).`;
  return `${from} (${source}): a plain image; check \`ports\` and \`ready\`.`;
}

/** The entity's line in the command's summary, e.g. `preset postgres 16`. */
export function summarizeEntity(entity: ComposeEntity): string {
  if (entity.preset)
    return `preset ${entity.preset.name}${entity.spec.version === undefined ? '' : ` ${entity.spec.version}`}`;
  if (entity.spec.build !== undefined)
    return `service built from ${typeof entity.spec.build === 'string' ? entity.spec.build : entity.spec.build.context}`;
  return `${entity.section === 'services' ? 'task' : 'dependency'} ${entity.spec.image ?? ''}`;
}
