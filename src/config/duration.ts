const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration as devenv.yaml writes it: a whole number and a unit. */
export const DURATION_PATTERN = /^\d+(ms|s|m|h|d)$/;

/** `2s` → 2000. The schema guarantees the format; anything else is a bug, not user input. */
export function durationMs(text: string): number {
  const unit = DURATION_PATTERN.exec(text)?.[1];
  if (!unit) throw new RangeError(`not a duration: ${text}`);
  return Number.parseInt(text, 10) * UNIT_MS[unit as keyof typeof UNIT_MS];
}

/**
 * The longest a preview may live before its next update or `extend`: previews are meant to expire, and
 * a date past JavaScript's range (`--ttl 999999999d`) would break the record and share links.
 */
export const MAX_PREVIEW_TTL = '365d';
