/**
 * Compose allows most fields in two or three shapes (short and long port syntax, env as a list or a map,
 * depends_on as a list or a map, healthcheck tests as a string or an exec form). The `parse-*` functions turn
 * each into one shape; what they cannot read comes back as a `problem` for the caller to report by key.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
