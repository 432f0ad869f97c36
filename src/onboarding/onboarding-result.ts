import type { DevenvDraft } from './devenv-draft.js';
import type { OnboardingNote } from './onboarding-note.js';

/** What `init` and `import compose` produce: the file to write, notes to print, and a short summary. */
export interface OnboardingResult {
  draft: DevenvDraft;
  notes: OnboardingNote[];
  /** One line per dependency or service written, e.g. `db: preset postgres 16`. */
  summary: string[];
}
