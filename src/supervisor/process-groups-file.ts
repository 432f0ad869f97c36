import { readFile, writeFile } from 'node:fs/promises';
import { isGroupAlive, signalGroup } from '../process/process-group.js';

/** Records the process groups of running services (replaced on every change). */
export async function writeGroups(path: string, pids: readonly number[]): Promise<void> {
  await writeFile(path, `${JSON.stringify(pids)}\n`);
}

/**
 * A supervisor killed with SIGKILL cannot stop its services; their process groups outlive it and would
 * hold their ports. The next supervisor ends whatever the file still lists.
 */
export async function killLeftoverGroups(path: string, log: (line: string) => void): Promise<void> {
  let pids: unknown;
  try {
    pids = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return;
    throw error;
  }
  for (const pid of Array.isArray(pids) ? pids : []) {
    if (Number.isInteger(pid) && (await isGroupAlive(pid))) {
      log(`ending process group ${pid} left by a previous supervisor`);
      signalGroup(pid, 'SIGKILL');
    }
  }
  await writeGroups(path, []);
}
