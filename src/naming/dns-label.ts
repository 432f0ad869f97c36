/** RFC 1123: a DNS label is at most 63 characters. */
export const DNS_LABEL_MAX = 63;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** True for a lowercase RFC 1123 label: letters, digits and inner hyphens, 1–63 characters. */
export function isDnsLabel(text: string): boolean {
  return text.length <= DNS_LABEL_MAX && LABEL.test(text);
}

/**
 * Lowercase, hyphen-separated version of `text` with everything else dropped; may be empty.
 * Not unique on its own (`a/b` and `a-b` agree): callers that need uniqueness add a hash.
 */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Cut a slug to `max` characters without leaving a trailing hyphen. */
export function truncateSlug(slug: string, max: number): string {
  return slug.slice(0, Math.max(0, max)).replace(/-+$/, '');
}
