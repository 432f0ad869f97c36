import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { formatPlan } from '../reconcile/plan.js';
import { reconcile } from '../reconcile/reconcile.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Clock } from '../util/clock.js';
import { desiredStateFromModel } from './desired-state-from-model.js';
import { executePlan } from './execute-plan.js';
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

  const plan = reconcile(desiredStateFromModel(environment), before.state);
  emit({ type: 'plan', at: clock.now(), steps: formatPlan(plan).split('\n').filter(Boolean) });
  await executePlan(plan, { runtime, clock, environment, emit, signal });
  // The environment is ready when its services are too: the supervisor says so after starting them.
  return environment;
}
