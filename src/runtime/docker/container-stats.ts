import type Docker from 'dockerode';
import type { ContainerStats } from '../container-runtime.js';

/** The part of the engine's stats document devenv reads (cgroup v1 and v2 name the cache differently). */
interface EngineStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; stats?: { cache?: number; inactive_file?: number } };
}

/**
 * One reading without the engine's own one-second wait for a second sample (`one-shot`, API 1.41):
 * the caller keeps the previous reading and computes the percentage itself, so sampling every few
 * seconds costs the engine almost nothing.
 */
export async function readContainerStats(
  docker: Docker,
  idOrName: string,
): Promise<ContainerStats | undefined> {
  const raw = (await docker
    .getContainer(idOrName)
    .stats({ stream: false, 'one-shot': true } as { stream: false })) as EngineStats;
  return toContainerStats(raw);
}

export function toContainerStats(raw: EngineStats): ContainerStats | undefined {
  const cpu = raw.cpu_stats;
  // A stopped container answers with zeros and no system figure.
  if (!cpu?.system_cpu_usage) return undefined;
  const usage = raw.memory_stats?.usage ?? 0;
  const cache = raw.memory_stats?.stats?.inactive_file ?? raw.memory_stats?.stats?.cache ?? 0;
  return {
    cpuNs: cpu.cpu_usage?.total_usage ?? 0,
    systemCpuNs: cpu.system_cpu_usage,
    onlineCpus: cpu.online_cpus ?? 1,
    memoryBytes: Math.max(0, usage - cache),
  };
}
