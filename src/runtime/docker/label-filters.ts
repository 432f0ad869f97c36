import type { LabelFilter } from '../container-spec.js';

/** A label filter as the engine's `filters={"label": [...]}` query wants it (pure). */
export function toLabelFilters(filter: LabelFilter): string[] {
  return Object.entries(filter).map(([key, value]) => (value === true ? key : `${key}=${value}`));
}
