import { containerEntities, containerShape } from '../engine/container-entity.js';
import type { EnvironmentEvent, ResourceUsage } from '../events/environment-event.js';
import { readProcessTree, treeCpuPercent, treeTotals } from '../host/process-tree-usage.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import {
  type ContainerRuntime,
  type ContainerStats,
  cpuPercentBetween,
} from '../runtime/container-runtime.js';
import type { Clock } from '../util/clock.js';

// Every 5 s: often enough to spot a runaway process, rare enough that an idle UI costs next to nothing
// (each sample is an engine stats call per container and a redraw; at 2 s idle CPU was ~1.1 % of a core).
export const USAGE_INTERVAL_MS = 5_000;

export interface UsageSamplerOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  environment: () => ResolvedEnvironment;
  /** The root pid of a running local-process service. */
  pidOf: (name: string) => number | undefined;
  emit: (event: EnvironmentEvent) => void;
  log: (line: string) => void;
  intervalMs?: number;
}

/**
 * CPU and memory of every running dependency and service, published as a `metrics` event every ~5 s
 * — but only while at least one client holds a lease (the TUI). With nobody looking nothing is read, so
 * an idle environment costs no engine calls and no /proc scans.
 */
export class UsageSampler {
  readonly #options: UsageSamplerOptions;
  #leases = 0;
  #running: AbortController | undefined;
  readonly #previousContainers = new Map<string, ContainerStats>();
  readonly #previousProcesses = new Map<string, { ticks: number; at: number }>();

  constructor(options: UsageSamplerOptions) {
    this.#options = options;
  }

  /** Starts sampling (if not already); the returned function ends this client's interest. */
  lease(): () => void {
    this.#leases++;
    if (this.#leases === 1) this.#start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#leases--;
      if (this.#leases === 0) this.stop();
    };
  }

  stop(): void {
    this.#running?.abort();
    this.#running = undefined;
  }

  /** One reading of everything; CPU is relative to the previous reading (0 on the first). */
  async sample(): Promise<ResourceUsage[]> {
    const { runtime, clock } = this.#options;
    const environment = this.#options.environment();
    const containers = containerEntities(environment).map(async (entity): Promise<ResourceUsage[]> => {
      const stats = await runtime.stats(containerShape(entity).containerName);
      const previous = this.#previousContainers.get(entity.name);
      if (stats === undefined) {
        this.#previousContainers.delete(entity.name);
        return [];
      }
      this.#previousContainers.set(entity.name, stats);
      const cpuPercent = previous ? cpuPercentBetween(previous, stats) : 0;
      return [{ name: entity.name, cpuPercent, memoryBytes: stats.memoryBytes }];
    });
    const processServices = environment.services.filter((service) => service.runtime.kind === 'process');
    const processes: ResourceUsage[] = [];
    for (const service of processServices) {
      const pid = this.#options.pidOf(service.name);
      const table = pid === undefined ? undefined : await readProcessTree(pid);
      const totals = pid === undefined || table === undefined ? undefined : treeTotals(table, pid);
      const now = clock.now();
      if (totals === undefined) {
        this.#previousProcesses.delete(service.name);
        continue;
      }
      const previous = this.#previousProcesses.get(service.name);
      this.#previousProcesses.set(service.name, { ticks: totals.cpuTicks, at: now });
      processes.push({
        name: service.name,
        cpuPercent: previous ? treeCpuPercent(previous.ticks, totals.cpuTicks, now - previous.at) : 0,
        memoryBytes: totals.memoryBytes,
      });
    }
    const settled = await Promise.allSettled(containers);
    const fromContainers = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    for (const result of settled) {
      if (result.status === 'rejected') this.#options.log(`metrics: ${String(result.reason)}`);
    }
    return [...fromContainers, ...processes];
  }

  #start(): void {
    const running = new AbortController();
    this.#running = running;
    const { clock, emit, log } = this.#options;
    const loop = async (): Promise<void> => {
      while (!running.signal.aborted) {
        const usage = await this.sample();
        if (running.signal.aborted) return;
        emit({ type: 'metrics', at: clock.now(), usage });
        await clock.sleep(this.#options.intervalMs ?? USAGE_INTERVAL_MS, running.signal);
      }
    };
    loop().catch((error: unknown) => {
      if (!running.signal.aborted) log(`metrics stopped: ${String(error)}`);
    });
  }
}
