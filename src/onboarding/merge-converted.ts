import type { ConvertedCompose } from './convert-compose.js';
import type { DevenvDraft } from './devenv-draft.js';

/** Adds a converted Compose file's dependencies, services, profiles and env files to a draft. */
export function mergeConverted(draft: DevenvDraft, converted: ConvertedCompose): void {
  Object.assign(draft.dependencies, converted.dependencies);
  Object.assign(draft.services, converted.services);
  Object.assign(draft.profiles, converted.profiles);
  Object.assign(draft.comments, converted.comments);
  draft.env_files.push(...converted.env_files.filter((file) => !draft.env_files.includes(file)));
}
