import { readdir, readFile } from 'node:fs/promises';

/** One line of the process table, as `/proc/<pid>/stat` gives it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  rssPages: number;
}

/**
 * Linux reports CPU time in clock ticks and RSS in pages; 100 Hz and 4 KiB are what every Linux
 * distribution devenv targets uses (reading `getconf` would cost a process per sample).
 */
export const TICKS_PER_SECOND = 100;
export const PAGE_BYTES = 4096;

/** The whole process table, or undefined where there is no `/proc` (macOS: process metrics are then absent). */
export async function readProcessTable(procDir = '/proc'): Promise<ProcessEntry[] | undefined> {
  let names: string[];
  try {
    names = await readdir(procDir);
  } catch {
    return undefined;
  }
  const entries = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map((name) =>
        readFile(`${procDir}/${name}/stat`, 'utf8').then(
          parseStatLine,
          // A process that ended between the listing and the read is simply not in the table.
          () => undefined,
        ),
      ),
  );
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
}

/**
 * The process and its descendants only, found through `/proc/<pid>/task/<tid>/children`: a handful of
 * reads instead of the whole table (a scan of a few hundred processes costs tens of milliseconds of
 * CPU, too much every two seconds). Falls back to the whole table where the kernel lacks that file.
 */
export async function readProcessTree(
  rootPid: number,
  procDir = '/proc',
): Promise<ProcessEntry[] | undefined> {
  const entries: ProcessEntry[] = [];
  const queue = [rootPid];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const stat = await readFile(`${procDir}/${pid}/stat`, 'utf8').catch(() => undefined);
    const entry = stat === undefined ? undefined : parseStatLine(stat);
    // Gone since its parent listed it, or the root itself is gone.
    if (entry === undefined) continue;
    entries.push(entry);
    let tasks: string[];
    try {
      tasks = await readdir(`${procDir}/${pid}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      let children: string;
      try {
        children = await readFile(`${procDir}/${pid}/task/${task}/children`, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && pid === rootPid && task === tasks[0]) {
          return readProcessTable(procDir);
        }
        continue;
      }
      for (const child of children.split(' ')) if (child.trim() !== '') queue.push(Number(child));
    }
  }
  return entries.length === 0 ? [] : entries;
}

/** Parses `/proc/<pid>/stat`; the command name is in parentheses and may itself contain spaces or ')'. */
export function parseStatLine(line: string): ProcessEntry | undefined {
  const close = line.lastIndexOf(')');
  const pid = Number.parseInt(line, 10);
  if (close === -1 || Number.isNaN(pid)) return undefined;
  const fields = line.slice(close + 2).split(' ');
  // fields[0] is field 3 of proc(5) (state): ppid is 4, pgrp 5, utime 14, stime 15, rss 24.
  const at = (field: number): number => Number(fields[field - 3] ?? 0);
  return { pid, ppid: at(4), pgrp: at(5), cpuTicks: at(14) + at(15), rssPages: at(24) };
}

/**
 * CPU ticks and resident memory of a process and everything below it: its children by parent (a
 * `npm run dev` → node → esbuild chain) and anything left in its process group.
 */
export function treeTotals(
  table: readonly ProcessEntry[],
  rootPid: number,
): { cpuTicks: number; memoryBytes: number } | undefined {
  if (!table.some((entry) => entry.pid === rootPid)) return undefined;
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const included = new Set<number>();
  const visit = (pid: number): void => {
    if (included.has(pid)) return;
    included.add(pid);
    for (const child of children.get(pid) ?? []) visit(child.pid);
  };
  visit(rootPid);
  for (const entry of table) if (entry.pgrp === rootPid) visit(entry.pid);
  let cpuTicks = 0;
  let rssPages = 0;
  for (const entry of table) {
    if (!included.has(entry.pid)) continue;
    cpuTicks += entry.cpuTicks;
    rssPages += entry.rssPages;
  }
  return { cpuTicks, memoryBytes: rssPages * PAGE_BYTES };
}

/** Percent of one core between two totals `elapsedMs` apart. */
export function treeCpuPercent(previousTicks: number, nextTicks: number, elapsedMs: number): number {
  if (elapsedMs <= 0 || nextTicks <= previousTicks) return 0;
  return ((nextTicks - previousTicks) / TICKS_PER_SECOND / (elapsedMs / 1000)) * 100;
}
