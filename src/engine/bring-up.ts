import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { formatPlan } from '../reconcile/plan.js';
import { reconcile } from '../reconcile/reconcile.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Clock } from '../util/clock.js';
import { containerEntities, containerShape } from './container-entity.js';
import { desiredStateFromModel } from './desired-state-from-model.js';
import { buildOptions, executePlan } from './execute-plan.js';
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
  /** Fingerprints of containers `sync` brought up to date since they were built, by id (see `ContainerActionContext`). */
  synced?: ReadonlyMap<string, string>;
}

/**
 * Each `build:` service's build context as it is now: an edit made while the environment was down
 * (or to a file no watch rule covers) rebuilds the image on the next `up`, as a rebuild rule would.
 */
async function buildFingerprints(
  runtime: ContainerRuntime,
  environment: ResolvedEnvironment,
): Promise<Map<string, string>> {
  const built = containerEntities(environment).flatMap((entity) => {
    const { build, image } = containerShape(entity);
    return build ? [{ name: entity.name, options: buildOptions(build, image) }] : [];
  });
  return new Map(
    await Promise.all(
      built.map(async ({ name, options }) => [name, await runtime.buildFingerprint(options)] as const),
    ),
  );
}

/**
 * One `up` of the engine side: resolve → settle host ports → observe by labels → reconcile → execute. Returns the model
 * that now runs. Safe to repeat: with nothing changed the plan keeps every container.
 */
export async function bringUp(options: BringUpOptions): Promise<ResolvedEnvironment> {
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
      buildFingerprint: options.synced?.get(container.id) ?? container.buildFingerprint,
    })),
  };
  const plan = reconcile(desiredStateFromModel(environment, fingerprints), observed);
  emit({ type: 'plan', at: clock.now(), steps: formatPlan(plan).split('\n').filter(Boolean) });
  await executePlan(plan, { runtime, clock, environment, emit, signal, fingerprints });
  // The environment is ready when its services are too: the supervisor says so after starting them.
  return environment;
}
