import { defaultProjectName } from '../config/validate-config-text.js';
import { type ConvertComposeOptions, convertCompose } from './convert-compose.js';
import { emptyDraft } from './devenv-draft.js';
import { mergeConverted } from './merge-converted.js';
import type { OnboardingResult } from './onboarding-result.js';
import type { ComposeFile } from './parse-compose-file.js';

/** `devenv import compose FILE`: the Compose file alone becomes devenv.yaml. */
export function draftFromCompose(
  compose: ComposeFile,
  options: ConvertComposeOptions & { folderName: string },
): OnboardingResult {
  const converted = convertCompose(compose, options);
  const draft = emptyDraft(converted.name ?? defaultProjectName(options.folderName));
  mergeConverted(draft, converted);
  draft.header = [
    `Written by \`devenv import compose ${compose.file}\`. The comments say where each part came from;`,
    'the command printed what did not carry over. Check it, then run `devenv validate` and `devenv up`.',
  ];
  return { draft, notes: converted.notes, summary: converted.summary };
}
