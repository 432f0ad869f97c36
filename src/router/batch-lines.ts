/** A line sink that gathers what one turn of the event loop logs and hands it on as one write. */
export interface LineBatch {
  (line: string): void;
  /** Hands on what is gathered now (at shutdown). */
  flush(): void;
}

/**
 * Gathers lines and passes them to `write` joined by `\n` (no trailing one), once per turn of the
 * event loop: under load the router logs thousands of requests a second, and one write per turn
 * instead of one per request keeps the access log off the request path.
 */
export function batchLines(write: (lines: string) => void): LineBatch {
  let pending: string[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    write(lines.join('\n'));
  };
  const batch = (line: string): void => {
    pending.push(line);
    scheduled ??= setImmediate(flush);
  };
  return Object.assign(batch, { flush });
}
