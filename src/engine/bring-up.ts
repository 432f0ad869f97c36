import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { formatPlan } from '../reconcile/plan.js';
import { reconcile } from '../reconcile/reconcile.js';
import type { BuildFingerprint } from '../runtime/build-fingerprint.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Clock } from '../util/clock.js';
import { containerEntities, containerShape } from './container-entity.js';
import { desiredStateFromModel } from './desired-state-from-model.js';
import { applyPlan, fingerprintOptions, type StepFailure } from './execute-plan.js';
import { observeEnvironment } from './observe-environment.js';
import { type HostPorts, settleHostPorts } from './settle-host-ports.js';

export interface BringUpOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  hostPorts: HostPorts;
  /** Reads devenv.yaml afresh and resolves it with these host port overrides (throws ConfigError). */
  load: (overrides: HostPortOverrides) => ResolvedEnvironment;
  /** Remembered host port overrides for this environment, and where to save new ones. */
  ports: { read(): Promise<HostPortOverrides>; write(overrides: HostPortOverrides): Promise<void> };
  emit: (event: EnvironmentEvent) => void;
  signal: AbortSignal;
  /** What the running `build:` containers were made from, kept between `up`s (see `BuildRecords`). */
  builds?: BuildRecords;
}

/**
 * What the supervisor knows of its `build:` services' containers beyond their labels, so that files a
 * `sync` copied into a running container do not count as changes at the next `up`.
 */
export interface BuildRecords {
  /** By service: the fingerprint its running container is current with (after an `up`, a rebuild, a sync). */
  manifests: Map<string, BuildFingerprint>;
  /** By container id: the fingerprint a sync brought the container to; it wins over the container's label. */
  synced: Map<string, string>;
}

/**
 * Each `build:` service's build context as it is now: an edit made while the environment was down
 * (or to a file no watch rule covers) rebuilds the image on the next `up`, as a rebuild rule would.
 */
async function buildFingerprints(
  runtime: ContainerRuntime,
  environment: ResolvedEnvironment,
): Promise<Map<string, BuildFingerprint>> {
  const built = containerEntities(environment).flatMap((entity) => {
    const { build, image } = containerShape(entity);
    return build ? [{ name: entity.name, options: fingerprintOptions(build, image) }] : [];
  });
  return new Map(
    await Promise.all(
      built.map(async ({ name, options }) => [name, await runtime.buildFingerprint(options)] as const),
    ),
  );
}

/** What an `up` of the engine side brought about. */
export interface BroughtUp {
  /** The model that now runs. */
  environment: ResolvedEnvironment;
  /**
   * Containers that failed (a broken build, a dependency that never got ready), each already reported
   * as `failed`; everything that does not depend on them was still brought in line.
   */
  failed: readonly StepFailure[];
}

/**
 * One `up` of the engine side: resolve → settle host ports → observe by labels → reconcile → execute.
 * Safe to repeat: with nothing changed the plan keeps every container. Throws when the environment
 * cannot be brought up at all (devenv.yaml, host ports, the engine) or `signal` was aborted.
 */
export async function bringUp(options: BringUpOptions): Promise<BroughtUp> {
  const { runtime, clock, emit, signal } = options;
  let overrides = await options.ports.read();
  let environment = options.load(overrides);
  emit({ type: 'environment', at: clock.now(), state: 'starting' });

  const before = await observeEnvironment(runtime, environment.project, environment.env);
  const settled = await settleHostPorts(environment, before.containers, overrides, options.hostPorts);
  if (settled.changed) {
    overrides = settled.overrides;
    await options.ports.write(overrides);
    environment = options.load(overrides);
  }

  const fingerprints = await buildFingerprints(runtime, environment);
  const observed = {
    ...before.state,
    containers: before.state.containers.map((container) => ({
      ...container,
      buildFingerprint: options.builds?.synced.get(container.id) ?? container.buildFingerprint,
    })),
  };
  const values = new Map([...fingerprints].map(([name, fingerprint]) => [name, fingerprint.value]));
  const plan = reconcile(desiredStateFromModel(environment, values), observed);
  emit({ type: 'plan', at: clock.now(), steps: formatPlan(plan).split('\n').filter(Boolean) });
  const manifests = options.builds?.manifests;
  let failed: StepFailure[];
  try {
    failed = await applyPlan(plan, { runtime, clock, environment, emit, signal, fingerprints });
  } catch (error) {
    // Which build each container now runs is no longer known for sure (one may have kept its old
    // image): a sync must not vouch for it, so the next `up` compares with the labels again.
    manifests?.clear();
    throw error;
  }
  const failedNames = new Set(failed.map((failure) => failure.name));
  for (const [name, fingerprint] of fingerprints) {
    // A failed one may still run its old image (a failed build leaves it): not known to be current.
    if (failedNames.has(name)) manifests?.delete(name);
    else manifests?.set(name, fingerprint);
  }
  // The environment is ready when its services are too: the supervisor says so after starting them.
  return { environment, failed };
}
