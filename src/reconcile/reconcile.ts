import type {
  DesiredContainer,
  DesiredState,
  ObservedContainerSummary,
  ObservedState,
} from './desired-state.js';
import type { Plan, PlanStep } from './plan.js';

/**
 * Compares what should exist with what the engine reports and returns the plan that closes the gap.
 * Pure: same inputs, same plan, no I/O.
 *
 * - missing network/volumes are created first; existing ones are never touched (volumes hold data);
 * - a container whose config hash matches is kept (or started when stopped): no container work;
 * - a changed hash means recreate, a missing one create, one no longer desired remove;
 * - a `build:` service's container built from another state of its build context is recreated, and
 *   the step says so (`rebuild`: the executor builds the image again by the fingerprint it is given);
 * - duplicates for one name (left by a killed supervisor) keep the newest matching one, remove the rest;
 * - container steps follow dependency order (each lists what it must wait for in `after`), so the
 *   executor can run independent branches in parallel.
 */
export function reconcile(desired: DesiredState, observed: ObservedState): Plan {
  const steps: PlanStep[] = [];
  if (!observed.networks.some((network) => network.name === desired.network)) {
    steps.push({ kind: 'create-network', network: desired.network });
  }
  const existingVolumes = new Set(observed.volumes.map((volume) => volume.name));
  for (const volume of [...desired.volumes].sort()) {
    if (!existingVolumes.has(volume)) steps.push({ kind: 'create-volume', volume });
  }

  const byName = groupByName(observed.containers);
  const desiredNames = new Set(desired.containers.map((container) => container.name));

  for (const [name, containers] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    if (!desiredNames.has(name)) {
      for (const container of containers) {
        steps.push({ kind: 'remove-container', name, id: container.id, reason: 'removed from devenv.yaml' });
      }
    }
  }

  for (const container of orderByDependencies(desired.containers)) {
    const candidates = byName.get(container.name) ?? [];
    const after = [...container.dependsOn].sort();
    const keeper = pickKeeper(candidates, container) ?? candidates[0];
    for (const duplicate of candidates) {
      if (duplicate !== keeper) {
        steps.push({ kind: 'remove-container', name: container.name, id: duplicate.id, reason: 'duplicate' });
      }
    }
    if (keeper === undefined) {
      steps.push({ kind: 'create-container', name: container.name, after });
    } else if (!isCurrent(keeper, container)) {
      steps.push({
        kind: 'recreate-container',
        name: container.name,
        id: keeper.id,
        from: keeper.configHash,
        to: container.configHash,
        ...(isBuiltFromOther(keeper, container) ? { rebuild: true } : {}),
        after,
      });
    } else if (keeper.running) {
      steps.push({ kind: 'keep-container', name: container.name, id: keeper.id });
    } else {
      steps.push({ kind: 'start-container', name: container.name, id: keeper.id, after });
    }
  }
  return { steps };
}

/** Newest first, so the most recent container wins among duplicates. */
function groupByName(
  containers: readonly ObservedContainerSummary[],
): Map<string, ObservedContainerSummary[]> {
  const groups = new Map<string, ObservedContainerSummary[]>();
  for (const container of [...containers].sort((a, b) => b.createdAt - a.createdAt)) {
    groups.set(container.name, [...(groups.get(container.name) ?? []), container]);
  }
  return groups;
}

/** The newest container already as desired, preferring a running one. */
function pickKeeper(
  candidates: readonly ObservedContainerSummary[],
  desired: DesiredContainer,
): ObservedContainerSummary | undefined {
  const matching = candidates.filter((candidate) => isCurrent(candidate, desired));
  return matching.find((candidate) => candidate.running) ?? matching[0];
}

/** Same config, and (for a `build:` service) built from the build context as it is now. */
function isCurrent(observed: ObservedContainerSummary, desired: DesiredContainer): boolean {
  return observed.configHash === desired.configHash && !isBuiltFromOther(observed, desired);
}

function isBuiltFromOther(observed: ObservedContainerSummary, desired: DesiredContainer): boolean {
  return desired.buildFingerprint !== undefined && observed.buildFingerprint !== desired.buildFingerprint;
}

/**
 * Topological order (Kahn), ties broken by name so plans are stable. Cycles are rejected by config
 * validation before reconcile runs; any left over are appended in name order rather than dropped.
 */
export function orderByDependencies<T extends { name: string; dependsOn: readonly string[] }>(
  items: readonly T[],
): T[] {
  const remaining = new Map(items.map((item) => [item.name, item]));
  const ordered: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()]
      .filter((item) => item.dependsOn.every((dependency) => !remaining.has(dependency)))
      .sort((a, b) => a.name.localeCompare(b.name));
    const next =
      ready.length > 0 ? ready : [...remaining.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const item of next) {
      ordered.push(item);
      remaining.delete(item.name);
    }
  }
  return ordered;
}
