import { slugify, truncateSlug } from '../naming/dns-label.js';
import type { ComposeEntity } from './compose-entity.js';
import { info, type OnboardingNote } from './onboarding-note.js';
import type { ComposeFile } from './parse-compose-file.js';

/**
 * Compose `profiles:` → devenv profiles. `default` (what `devenv up` runs) lists the entities without a
 * profile, and every other profile adds its own to those, as Compose runs them.
 */
export function convertProfiles(
  compose: ComposeFile,
  entities: readonly ComposeEntity[],
  notes: OnboardingNote[],
): Record<string, string[]> {
  const byProfile = new Map<string, string[]>();
  const always: string[] = [];
  for (const entity of entities) {
    const profiles = compose.services[entity.compose]?.profiles;
    if (!Array.isArray(profiles) || profiles.length === 0) {
      always.push(entity.name);
      continue;
    }
    for (const profile of profiles.map(String)) {
      const name = truncateSlug(slugify(profile), 63) || 'profile';
      byProfile.set(name, [...(byProfile.get(name) ?? []), entity.name]);
    }
  }
  if (byProfile.size === 0) return {};
  const result: Record<string, string[]> = {};
  if (always.length > 0) result.default = always;
  for (const [name, members] of byProfile) {
    if (name === 'default') result.default = [...(result.default ?? []), ...members];
    else result[name] = [...always, ...members];
  }
  notes.push(
    info(
      `${compose.file}: profiles`,
      `Compose profiles became devenv profiles (${Object.keys(result).join(', ')}): \`devenv up\` runs \`default\`${always.length === 0 ? ' (none: every service had a profile, so it runs everything)' : ''}; a preview can run another with \`preview.profile\``,
    ),
  );
  return result;
}
