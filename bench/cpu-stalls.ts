// How often the machine itself takes a core away from a running process (the hypervisor running
// something else on it, the guest kernel's own work, other processes): the floor under any
// sub-millisecond tail latency measured on it. A proxy's p99 cannot be shown below the stalls its processes meet.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

/**
 * One process per core that never sleeps and reads the clock in a loop: a gap between two reads is time
 * it was not running. Gaps under 50 µs are the loop's own cost and timer ticks, not stalls.
 */
const SPIN = `
const ms = Number(process.argv[1]);
const end = performance.now() + ms;
let last = performance.now(), lost = 0, over1 = 0, over2 = 0;
while (last < end) {
  const now = performance.now();
  const gap = now - last;
  if (gap > 0.05) { lost += gap; if (gap > 1) over1++; if (gap > 2) over2++; }
  last = now;
}
process.stdout.write(JSON.stringify({ lost, over1, over2 }));
`;

export interface CpuStalls {
  /** Share of the spin's time the spinners did not run (0–1), all cores together. */
  lostShare: number;
  /** Stalls longer than 1 ms, and than 2 ms, per second per core. */
  over1PerSecond: number;
  over2PerSecond: number;
  /** Steal time the kernel accounted in the same period (`/proc/stat`), share of all CPU time (0–1). */
  stealShare: number;
}

interface Spun {
  lost: number;
  over1: number;
  over2: number;
}

/** Spins one process per core for `seconds` while nothing else of the benchmark runs. */
export async function measureCpuStalls(seconds: number): Promise<CpuStalls> {
  const cores = availableParallelism();
  const before = await cpuTimes();
  const spun = await Promise.all(Array.from({ length: cores }, () => spin(seconds * 1000)));
  const after = await cpuTimes();
  const sum = (pick: (s: Spun) => number): number => spun.reduce((total, s) => total + pick(s), 0);
  const coreSeconds = cores * seconds;
  return {
    lostShare: sum((s) => s.lost) / (coreSeconds * 1000),
    over1PerSecond: sum((s) => s.over1) / coreSeconds,
    over2PerSecond: sum((s) => s.over2) / coreSeconds,
    stealShare:
      after.total === before.total ? 0 : (after.steal - before.steal) / (after.total - before.total),
  };
}

function spin(ms: number): Promise<Spun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SPIN, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as Spun);
      else reject(new Error(`the stall probe exited with ${code}`));
    });
  });
}

/** All CPUs' time and its steal part, in clock ticks, from the first line of `/proc/stat`. */
async function cpuTimes(): Promise<{ total: number; steal: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user too)
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
}
