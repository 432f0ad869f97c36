/**
 * Probe quickly first, then back off to the configured interval: most dependencies and services become
 * ready within a few hundred milliseconds of starting, and a fixed 1 s interval would make every start
 * (and every reload) wait up to a second for nothing (measured: ~1 s of a 3.5 s Postgres start, see
 * bench/README.md). The interval stays the steady rate for slow starters.
 */
export function probeDelay(attempt: number, intervalMs: number, firstMs = 50, factor = 2): number {
  return Math.min(intervalMs, Math.round(firstMs * factor ** attempt));
}
