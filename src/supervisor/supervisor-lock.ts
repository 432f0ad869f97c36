import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExternalError } from '../errors/devenv-error.js';
import { isPidAlive } from '../process/process-group.js';

/** Held by a running supervisor; released on clean exit, detected as stale after a SIGKILL. */
export interface SupervisorLock {
  release(): Promise<void>;
}

/**
 * Takes the per-environment lock by creating the pid file exclusively. A pid file whose process is gone
 * (supervisor killed) is stale and taken over — also when it is a zombie nobody reaped, as under a PID 1
 * that does not reap orphans; one whose process lives means another supervisor runs.
 */
export async function acquireSupervisorLock(
  pidFile: string,
  pid: number = process.pid,
): Promise<SupervisorLock> {
  await mkdir(dirname(pidFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(pidFile, 'wx');
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return { release: () => unlink(pidFile).catch(ignoreMissing) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLockHolder(pidFile);
      if (holder !== undefined && (await isPidAlive(holder))) {
        throw new ExternalError(
          'SUPERVISOR_RUNNING',
          `Another devenv supervisor (pid ${holder}) runs this environment.`,
          {
            hint: 'Use `devenv up` to attach to it, or `devenv down` to stop it.',
          },
        );
      }
      await unlink(pidFile).catch(ignoreMissing);
    }
  }
  throw new ExternalError('SUPERVISOR_LOCK', `Could not take the supervisor lock ${pidFile}.`, {
    hint: 'Another devenv is starting this environment at the same moment; try again.',
  });
}

/** The pid recorded in the lock, if the file exists and holds one. */
export async function readLockHolder(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
