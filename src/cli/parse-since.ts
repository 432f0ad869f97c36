import { UsageError } from '../errors/devenv-error.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from `now` (`90s`, `10m`, `2h`, `1d`) or an absolute ISO time. */
export function parseSince(value: string, now: Date): Date {
  const duration = /^(\d+)([smhd])$/.exec(value.trim());
  if (duration) return new Date(now.getTime() - Number(duration[1]) * (UNITS[duration[2] ?? 's'] ?? 1_000));
  // Only what starts like an ISO date: `new Date("10")` is 2001-10-01, which would print everything.
  const absolute = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? new Date(value) : new Date(Number.NaN);
  if (!Number.isNaN(absolute.getTime())) return absolute;
  throw new UsageError('BAD_SINCE', `--since ${value} is neither a duration with a unit nor an ISO time.`, {
    hint: 'Use e.g. 30s, 10m, 2h, 1d, or 2026-01-31T12:00:00Z.',
  });
}
