import type { LabelFilter, Labels } from './container-spec.js';

/** Whether an object's labels satisfy a filter (every key present; string values equal). */
export function matchLabels(labels: Labels, filter: LabelFilter): boolean {
  return Object.entries(filter).every(([key, wanted]) =>
    wanted === true ? Object.hasOwn(labels, key) : labels[key] === wanted,
  );
}
