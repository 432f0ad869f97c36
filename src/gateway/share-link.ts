import { UsageError } from '../errors/devenv-error.js';
import type { PreviewRecord } from '../preview/preview-contract.js';
import { SHARE_PATH } from './gateway-access.js';
import { previewServiceUrl } from './gateway-pages.js';
import { signToken } from './preview-token.js';

export interface ShareLink {
  /** `<service URL>/.devenv/share?token=<token>`: opening it lets a browser in until `expires`. */
  url: string;
  /** For the `X-Devenv-Preview-Token` header (CI). */
  token: string;
  expires: Date;
}

/** Pure: a share link to one service of a preview, valid until `expires`. */
export function shareLink(record: PreviewRecord, host: string, expires: Date): ShareLink {
  const token = signToken(record.secret, { preview: record.id, expires, purpose: 'share' });
  return { url: `${previewServiceUrl(record, host)}${SHARE_PATH}?token=${token}`, token, expires };
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--ttl`: `30m`, `12h`, `7d`. */
export function parseTtl(value: string): number {
  const match = /^(\d+)([mhd])$/.exec(value.trim());
  const ms = match === null ? 0 : Number(match[1]) * (UNITS[match[2] ?? 'h'] ?? 0);
  if (ms <= 0)
    throw new UsageError('BAD_TTL', `--ttl ${value} is not a duration.`, {
      hint: 'Use e.g. 30m, 12h or 7d.',
    });
  return ms;
}
