/**
 * Something `devenv init` / `devenv import compose` wants the user to know about the file it wrote.
 * A `warning` is a setting that could not be carried over (so nothing is dropped silently), with what to
 * do about it; an `info` is a change it made on purpose (a rewritten address, a replaced image).
 */
export interface OnboardingNote {
  level: 'warning' | 'info';
  /** Where it came from, as the user wrote it: `compose.yaml: services.db.volumes`, `.env: DATABASE_URL`. */
  where: string;
  message: string;
}

export function warning(where: string, message: string): OnboardingNote {
  return { level: 'warning', where, message };
}

export function info(where: string, message: string): OnboardingNote {
  return { level: 'info', where, message };
}

/** One line per note, warnings first, the way both commands print them on stderr. */
export function formatNotes(notes: readonly OnboardingNote[]): string {
  const ordered = [...notes.filter((n) => n.level === 'warning'), ...notes.filter((n) => n.level === 'info')];
  return ordered
    .map((n) => `${n.level === 'warning' ? 'warning' : 'note'} ${n.where}: ${n.message}\n`)
    .join('');
}
