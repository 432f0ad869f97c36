import { readFile, writeFile } from 'node:fs/promises';
import { isGroupAlive, isPidAlive, signalGroup } from '../process/process-group.js';
import { identifyProcess, isStillRunning, type ProcessIdentity } from '../process/process-identity.js';

/**
 * Records the process groups of running services (replaced on every change), each leader with its
 * start time. Returns the function to call with the groups that run now; writes happen one after
 * another in call order, so the file always ends up holding the latest list.
 */
export function groupsRecorder(path: string, log: (line: string) => void): (pids: readonly number[]) => void {
  let writing = Promise.resolve();
  return (pids) => {
    writing = writing
      .then(() => writeGroups(path, pids))
      .catch((error: unknown) => log(`could not record the services' process groups: ${error}`));
  };
}

async function writeGroups(path: string, pids: readonly number[]): Promise<void> {
  const groups = await Promise.all(pids.map(identifyProcess));
  await writeFile(path, `${JSON.stringify(groups)}\n`);
}

/**
 * A supervisor killed with SIGKILL cannot stop its services; their process groups outlive it and would
 * hold their ports. The next supervisor ends whatever the file still lists, unless the group's leader
 * pid now belongs to another process (started at another time): then that group is not ours.
 */
export async function killLeftoverGroups(path: string, log: (line: string) => void): Promise<void> {
  let recorded: unknown;
  try {
    recorded = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return;
    throw error;
  }
  for (const group of Array.isArray(recorded) ? recorded.map(asIdentity) : []) {
    if (group === undefined || !(await isGroupAlive(group.pid))) continue;
    if (await leaderIsAnotherProcess(group)) {
      log(`process group ${group.pid} is no longer a service's (its pid was reused): left alone`);
      continue;
    }
    log(`ending process group ${group.pid} left by a previous supervisor`);
    signalGroup(group.pid, 'SIGKILL');
  }
  await writeGroups(path, []);
}

/**
 * While any process of a group lives, its id is not given to a new process; so a leader that is gone
 * leaves the group ours, and a live leader is ours only if it started when recorded.
 */
async function leaderIsAnotherProcess(group: ProcessIdentity): Promise<boolean> {
  return (await isPidAlive(group.pid)) && !(await isStillRunning(group));
}

/** An entry of the file: `{ pid, started }`, or a bare pid as older versions wrote. */
function asIdentity(entry: unknown): ProcessIdentity | undefined {
  if (Number.isInteger(entry)) return { pid: entry as number };
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { pid, started } = entry as { pid?: unknown; started?: unknown };
  if (!Number.isInteger(pid)) return undefined;
  return typeof started === 'string' ? { pid: pid as number, started } : { pid: pid as number };
}
