import { RESERVED_NAMES } from '../config/rules/check-names.js';
import { isDnsLabel, slugify, truncateSlug } from '../naming/dns-label.js';

/** `first` when it is free, else `base-2`, `base-3`, …: names are kept apart without asking the user. */
export function numberedName(first: string, isTaken: (name: string) => boolean, base = first): string {
  let name = first;
  for (let n = 2; isTaken(name); n += 1) name = `${base}-${n}`;
  return name;
}

/** A devenv name for `wanted` (`fallback` when nothing of it is left): a DNS label, not reserved, not in `taken`, which it joins. */
export function uniqueName(wanted: string, taken: Set<string>, fallback: string): string {
  let name = truncateSlug(slugify(wanted), 50) || fallback;
  if (RESERVED_NAMES.has(name)) name = `${name}-svc`;
  const unique = numberedName(name, (candidate) => taken.has(candidate) || !isDnsLabel(candidate));
  taken.add(unique);
  return unique;
}
