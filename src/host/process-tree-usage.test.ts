import { describe, expect, it } from 'vitest';
import {
  PAGE_BYTES,
  parseStatLine,
  readProcessTable,
  readProcessTree,
  treeCpuPercent,
  treeTotals,
} from './process-tree-usage.js';

const stat = (pid: number, ppid: number, pgrp: number, utime: number, stime: number, rss: number) =>
  `${pid} (node (worker) x) S ${ppid} ${pgrp} ${pgrp} 0 -1 4194560 0 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 100 1000 ${rss} 184467`;

describe('process tree usage', () => {
  it('parses a stat line whose command contains spaces and parentheses', () => {
    expect(parseStatLine(stat(42, 1, 42, 30, 12, 500))).toEqual({
      pid: 42,
      ppid: 1,
      pgrp: 42,
      cpuTicks: 42,
      rssPages: 500,
    });
  });

  it('sums a process, its descendants and its process group, and nothing else', () => {
    const table = [
      stat(10, 1, 10, 5, 5, 100), // root (npm)
      stat(11, 10, 10, 20, 0, 200), // node
      stat(12, 11, 12, 1, 1, 50), // a grandchild in its own group, still below the root
      stat(13, 1, 10, 2, 0, 10), // orphaned but still in the root's group
      stat(20, 1, 20, 999, 0, 9999), // unrelated
    ].flatMap((line) => parseStatLine(line) ?? []);
    expect(treeTotals(table, 10)).toEqual({ cpuTicks: 34, memoryBytes: 360 * PAGE_BYTES });
    expect(treeTotals(table, 99)).toBeUndefined();
  });

  it('turns ticks over elapsed time into percent of one core', () => {
    expect(treeCpuPercent(100, 150, 1000)).toBe(50);
    expect(treeCpuPercent(100, 100, 1000)).toBe(0);
    expect(treeCpuPercent(100, 300, 0)).toBe(0);
  });

  it('reads this test process from the real table (Linux)', async () => {
    const table = await readProcessTable();
    if (table === undefined) return;
    expect(treeTotals(table, process.pid)?.memoryBytes).toBeGreaterThan(0);
  });

  it('reads a process tree without scanning the whole table (Linux)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn('sleep', ['5']);
    try {
      const tree = await readProcessTree(process.pid);
      if (tree === undefined) return;
      expect(tree.map((entry) => entry.pid)).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect(treeTotals(tree, process.pid)?.memoryBytes).toBeGreaterThan(0);
      expect(await readProcessTree(2 ** 30)).toEqual([]);
    } finally {
      child.kill();
    }
  });
});
