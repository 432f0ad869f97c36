/**
 * A line, or what makes it: the fast lane hands over a function, and the line is formatted when the
 * batch is written, with the other lines of the batch, instead of on the request's path.
 */
export type AccessLine = string | (() => string);

export const lineOf = (line: AccessLine): string => (typeof line === 'string' ? line : line());

/** A line sink that gathers lines and hands them on several at a time. */
export interface LineBatch {
  (line: AccessLine): void;
  /** Hands on what is gathered now (at shutdown). */
  flush(): void;
}

/** How long a line may wait: a person reading the access log does not notice it. */
const BATCH_MS = 100;
/** Lines that are handed on at once, whatever the time: bounds what waits in memory. */
const BATCH_LINES = 1_000;

/**
 * Gathers lines and passes them to `write` joined by `\n` (no trailing one), at most every 100 ms:
 * under load the router logs thousands of requests a second, and a write every 100 ms instead of one
 * per request (or per turn of the event loop, which is one or two requests when requests are paced)
 * keeps the access log off the request path. The timer does not keep the process alive; whoever
 * stops it calls `flush`.
 */
export function batchLines(write: (lines: string) => void): LineBatch {
  let pending: AccessLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    write(lines.map(lineOf).join('\n'));
  };
  const batch = (line: AccessLine): void => {
    pending.push(line);
    if (pending.length >= BATCH_LINES) flush();
    else timer ??= setTimeout(flush, BATCH_MS).unref();
  };
  return Object.assign(batch, { flush });
}
