import { isoTime } from './iso-time.js';

export interface AccessEntry {
  /** When the request came (`Date.now()`). */
  since: number;
  id: string;
  /** The `Host` header as sent (`-` when there was none). */
  host: string | undefined;
  /** `GET`, …, or `UPGRADE` for a WebSocket. */
  method: string;
  target: string | undefined;
  /** The status, with ` aborted` after it when the answer was cut off. */
  status: number | string;
  /** How long the answer took, when the router relayed one. */
  ms?: number;
}

/** One line of the router's access log, the same from both lanes and for upgrades. */
export function accessLine(entry: AccessEntry): string {
  const { since, id, host, method, target, status, ms } = entry;
  return `${isoTime(since)} ${id} ${host ?? '-'} "${method} ${target}" ${status}${ms === undefined ? '' : ` ${ms.toFixed(1)}ms`}`;
}
