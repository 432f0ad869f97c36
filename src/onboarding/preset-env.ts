import type { ComposeEntity } from './compose-entity.js';
import { imageEnvDefaults } from './match-preset.js';
import type { ServiceContext } from './service-context.js';

/**
 * A preset's env is the base; only what the Compose service means differently is written. Variables the
 * Compose file leaves to the image's defaults (`postgres` as the user) are written too where the preset
 * chooses otherwise, so apps keep connecting with the credentials they were written against.
 */
export function presetEnv(context: ServiceContext, entity: ComposeEntity): Map<string, string> {
  const preset = entity.preset;
  if (!preset) return entity.env;
  const presetValues = new Map(Object.entries(preset.env ?? {}).map(([k, v]) => [k, String(v)]));
  if (entity.match?.kind === 'substitute') {
    const kept = new Map<string, string>();
    const dropped: string[] = [];
    for (const [key, value] of entity.env) {
      const renamed = entity.match.envRenames?.[key];
      if (renamed !== undefined) kept.set(renamed, value);
      else dropped.push(key);
    }
    if (dropped.length > 0)
      context.warn(
        'environment',
        `${dropped.join(', ')} left out: ${dropped.length === 1 ? 'it configures' : 'they configure'} the replaced image, not the ${preset.name} preset`,
      );
    return diff(kept, presetValues);
  }
  const effective = new Map([...imageEnvDefaults(preset.name, entity.env), ...entity.env]);
  return diff(effective, presetValues);
}

function diff(values: ReadonlyMap<string, string>, base: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...values].filter(([key, value]) => base.get(key) !== value));
}
