import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExternalError } from '../errors/devenv-error.js';
import {
  formatIdentity,
  identifyProcess,
  isStillRunning,
  type ProcessIdentity,
  parseIdentity,
} from '../process/process-identity.js';

/** Held by a running supervisor; released on clean exit, detected as stale after a SIGKILL. */
export interface SupervisorLock {
  release(): Promise<void>;
}

/**
 * Takes the per-environment lock by creating the pid file exclusively. A pid file whose process is gone
 * (supervisor killed) is stale and taken over — also when it is a zombie nobody reaped, as under a PID 1
 * that does not reap orphans, and when its pid now belongs to another process (the file records the
 * start time too); one whose process lives means another supervisor runs.
 */
export async function acquireSupervisorLock(
  pidFile: string,
  pid: number = process.pid,
): Promise<SupervisorLock> {
  await mkdir(dirname(pidFile), { recursive: true });
  const content = `${formatIdentity(await identifyProcess(pid))}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createWithContent(pidFile, content)) {
      return { release: () => unlink(pidFile).catch(ignoreMissing) };
    }
    const holder = await liveLockHolder(pidFile);
    if (holder !== undefined) {
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
  throw new ExternalError('SUPERVISOR_LOCK', `Could not take the supervisor lock ${pidFile}.`, {
    hint: 'Another devenv is starting this environment at the same moment; try again.',
  });
}

/**
 * Creates `path` holding `content`, or returns false when it exists. Written aside and linked into
 * place, so a reader never sees the file empty (as with `open(path, 'wx')` before the write), which
 * it would take for a stale lock and remove under the process that is taking it.
 */
async function createWithContent(path: string, content: string): Promise<boolean> {
  const aside = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(aside, content);
  try {
    await link(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(aside).catch(ignoreMissing);
  }
}

/** The process recorded in the lock, if the file exists and holds one (running or not). */
export async function readLockHolder(pidFile: string): Promise<ProcessIdentity | undefined> {
  const text = await readFile(pidFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return parseIdentity(text);
}

/** The pid of the process holding the lock, when there is one and it still runs. */
export async function liveLockHolder(pidFile: string): Promise<number | undefined> {
  const holder = await readLockHolder(pidFile);
  return holder !== undefined && (await isStillRunning(holder)) ? holder.pid : undefined;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
