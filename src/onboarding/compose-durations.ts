const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Compose durations are Go's: `10s`, `1m30s`, `1.5s`, `500ms`. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1e6; // a bare number is nanoseconds
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)];
  if (parts.map((p) => p[0]).join('') !== value.trim()) return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_MS[unit ?? 's'] ?? 0), 0);
}

/** devenv durations are a whole number and one unit. */
export function devenvDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}
