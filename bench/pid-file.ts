import { readFile } from 'node:fs/promises';

/**
 * The pid a devenv pid file names. Such a file holds `pid start-time` (see
 * src/process/process-identity.ts), so a reused pid is never taken for devenv's.
 */
export async function pidFromFile(path: string): Promise<number> {
  const pid = Number((await readFile(path, 'utf8')).trim().split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${path} names no pid`);
  return pid;
}
