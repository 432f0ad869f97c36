import { readdir, readFile } from 'node:fs/promises';

/**
 * Sends `signal` to every process of the group led by `pgid`. Returns false when the group is gone
 * already, which callers treat as success: there is nothing left to stop.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Whether any process of the group can still run. `kill(-pgid, 0)` alone is not enough: where
 * PID 1 does not reap orphans (containers without an init, some sandboxes) the group's
 * grandchildren stay as zombies forever. Zombies hold no ports and no files, so on Linux they are
 * read from /proc and not counted.
 */
export async function isGroupAlive(pgid: number): Promise<boolean> {
  if (!signalExists(-pgid)) return false;
  if (process.platform !== 'linux') return true;
  const entries = await readdir('/proc');
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readProcStat(Number(entry));
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

/** Whether the process `pid` exists and is not a zombie. */
export async function isPidAlive(pid: number): Promise<boolean> {
  if (!signalExists(pid)) return false;
  if (process.platform !== 'linux') return true;
  const stat = await readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

function signalExists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still counts as alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When the process `pid` started, in clock ticks since boot: with the pid it names one process, where
 * the pid alone may since have been given to another. Undefined where there is no /proc (macOS) or
 * when the process is gone.
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  return (await readProcStat(pid))?.started;
}

interface ProcStat {
  state: string;
  pgrp: number;
  started: string;
}

/** Fields of /proc/PID/stat after the command name, which may itself contain spaces and parentheses. */
async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // The process ended between listing /proc and reading its entry: it is simply not there.
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = fields;
  // Field 22 of the whole line (`starttime`); the slice above starts at field 3.
  const started = fields[19];
  if (state === undefined || pgrp === undefined || started === undefined) return undefined;
  return { state, pgrp: Number(pgrp), started };
}
