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
