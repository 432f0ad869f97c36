import { isPidAlive, processStartTime } from './process-group.js';

/**
 * One process, as recorded in a file for a later devenv to find: its pid and, where the system tells
 * it (Linux), when it started. A pid is reused once its process is gone; pid and start time together
 * are not, so a record left by a killed process never points at an unrelated one that got its pid.
 */
export interface ProcessIdentity {
  pid: number;
  started?: string;
}

export async function identifyProcess(pid: number): Promise<ProcessIdentity> {
  const started = await processStartTime(pid);
  return started === undefined ? { pid } : { pid, started };
}

/**
 * Whether the recorded process still runs: its pid lives (and is not a zombie) and, when a start time
 * was recorded and the system tells it, started at that time. Without a start time on either side
 * (macOS, a record from an older devenv) a live pid counts as the process.
 */
export async function isStillRunning(identity: ProcessIdentity): Promise<boolean> {
  if (!(await isPidAlive(identity.pid))) return false;
  if (identity.started === undefined || process.platform !== 'linux') return true;
  return (await processStartTime(identity.pid)) === identity.started;
}

/** `pid` or `pid started`: the line a pid file holds. */
export function formatIdentity(identity: ProcessIdentity): string {
  return identity.started === undefined ? `${identity.pid}` : `${identity.pid} ${identity.started}`;
}

/** The inverse of `formatIdentity`; undefined for text that holds no pid. */
export function parseIdentity(text: string): ProcessIdentity | undefined {
  const [pidText, started] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return started && /^\d+$/.test(started) ? { pid, started } : { pid };
}
