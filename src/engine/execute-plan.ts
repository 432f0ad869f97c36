import { DevenvError, ExternalError } from '../errors/devenv-error.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { Plan, PlanStep } from '../reconcile/plan.js';
import type { BuildFingerprint } from '../runtime/build-fingerprint.js';
import type { ContainerRuntime, FingerprintOptions } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { Clock } from '../util/clock.js';
import {
  type ContainerEntity,
  type ContainerShape,
  containerEntities,
  containerShape,
} from './container-entity.js';
import { createAndStartContainer } from './create-and-start-container.js';
import { type Deferred, deferred } from './deferred.js';
import { PullProgressTracker } from './pull-progress-tracker.js';
import { type ReadinessHints, waitReady } from './wait-ready.js';

export interface ExecuteContext {
  runtime: ContainerRuntime;
  clock: Clock;
  environment: ResolvedEnvironment;
  emit: (event: EnvironmentEvent) => void;
  signal: AbortSignal;
  /** What a dependency's readiness failure tells the user to do (previews name their own commands). */
  readinessHints?: ReadinessHints;
  /**
   * `build:` services' build context fingerprints now (`ContainerRuntime.buildFingerprint`): an image
   * built from another is built again. Without one, an image is built only when missing.
   */
  fingerprints?: ReadonlyMap<string, BuildFingerprint>;
}

type ContainerStep = Extract<
  PlanStep,
  { kind: 'create-container' | 'recreate-container' | 'start-container' | 'keep-container' }
>;

/** Pull progress is sampled, not forwarded per engine message (hundreds per second on a fast pull). */
const PROGRESS_INTERVAL_MS = 200;

/** A container step of a plan that failed: the entity, and why (a prerequisite's failure included). */
export interface StepFailure {
  name: string;
  error: unknown;
}

/**
 * `applyPlan`, then the first failure thrown: for callers (previews) that cannot go on with part of
 * the plan failed. A prerequisite's own error explains more than "X was not started because Y failed".
 */
export async function executePlan(plan: Plan, context: ExecuteContext): Promise<void> {
  const failures = (await applyPlan(plan, context)).map((failure) => failure.error);
  const first = failures.find(
    (error) => !(error instanceof ExternalError && error.code === 'PREREQUISITE_FAILED'),
  );
  if (failures.length > 0) throw first ?? failures[0];
}

/**
 * Carries out a plan with no decisions of its own: network and volumes first, removals next, then
 * every container step at once, each waiting only for the prerequisites its `depends_on` names
 * (started or ready). Resolves once every step has settled, so nothing is left half-done in the
 * background, with the steps that failed (each also reported as a `failed` event): one container's
 * failure (a broken build) must not keep the rest of the environment from being brought in line.
 * Throws what fails before the container steps (network, volumes, removals), and the abort reason
 * when `signal` was aborted: an interrupted `up` stops, it does not report every step as failed.
 */
export async function applyPlan(plan: Plan, context: ExecuteContext): Promise<StepFailure[]> {
  const { runtime, environment, signal } = context;
  for (const step of plan.steps) {
    if (step.kind === 'create-network') await runtime.ensureNetwork(step.network, environment.labels);
    if (step.kind === 'create-volume') await runtime.ensureVolume(step.volume, environment.labels);
  }
  for (const step of plan.steps) {
    if (step.kind === 'remove-container') {
      signal.throwIfAborted();
      await runtime.stopContainer(step.id);
      await runtime.removeContainer(step.id, { force: true });
    }
  }

  const entities = new Map(containerEntities(environment).map((entity) => [entity.name, entity]));
  const started = new Map<string, Deferred>();
  const ready = new Map<string, Deferred>();
  const containerSteps = plan.steps.filter(
    (step): step is ContainerStep => step.kind.endsWith('-container') && step.kind !== 'remove-container',
  );
  for (const step of containerSteps) {
    started.set(step.name, deferred());
    ready.set(step.name, deferred());
  }

  const steps = containerSteps.map((step) => {
    const entity = entities.get(step.name);
    if (entity === undefined) throw new Error(`plan names ${step.name}, which the model does not have`);
    return { step, entity };
  });
  const outcomes = await Promise.all(
    steps.map(async ({ step, entity }): Promise<StepFailure | undefined> => {
      try {
        await runContainerStep(step, entity, context, { started, ready });
        ready.get(step.name)?.resolve();
        return undefined;
      } catch (error) {
        started.get(step.name)?.reject(error);
        ready.get(step.name)?.reject(error);
        context.emit({
          type: 'resource',
          at: context.clock.now(),
          name: step.name,
          kind: entity.kind,
          state: 'failed',
          detail: error instanceof Error ? error.message.split('\n')[0] : String(error),
          // The one-line detail leaves out the container's output the message quotes: shown beside it.
          ...(error instanceof DevenvError && error.lastLines?.length ? { lastLines: error.lastLines } : {}),
        });
        return { name: step.name, error };
      }
    }),
  );
  signal.throwIfAborted();
  return outcomes.filter((outcome) => outcome !== undefined);
}

async function runContainerStep(
  step: ContainerStep,
  dependency: ContainerEntity,
  context: ExecuteContext,
  gates: { started: Map<string, Deferred>; ready: Map<string, Deferred> },
): Promise<void> {
  const { runtime, clock, emit, signal } = context;
  const event = (
    state: 'pending' | 'building' | 'starting' | 'ready' | 'restarting',
    detail?: string,
  ): void =>
    emit({
      type: 'resource',
      at: clock.now(),
      name: dependency.name,
      kind: dependency.kind,
      state,
      ...(detail === undefined ? {} : { detail }),
      ...(state === 'starting' || state === 'ready' ? { ports: publishedPorts(dependency) } : {}),
    });

  event(step.kind === 'recreate-container' ? 'restarting' : 'pending');
  for (const edge of dependency.dependsOn) {
    const gate = (edge.condition === 'started' ? gates.started : gates.ready).get(edge.name);
    if (gate === undefined) continue;
    try {
      await gate.promise;
    } catch {
      throw new ExternalError(
        'PREREQUISITE_FAILED',
        `${dependency.name} was not started because ${edge.name} failed.`,
      );
    }
  }
  signal.throwIfAborted();

  let id: string;
  if (step.kind === 'keep-container') {
    id = step.id;
  } else if (step.kind === 'start-container') {
    event('starting');
    await runtime.startContainer(step.id);
    id = step.id;
  } else {
    // The image first: while it is pulled or built the old container still serves, and a failed
    // build leaves it running.
    await ensureImage(dependency, context, (detail) => event('building', detail));
    if (step.kind === 'recreate-container') {
      await runtime.stopContainer(step.id);
      await runtime.removeContainer(step.id, { force: true });
    }
    event('starting');
    id = await createAndStartContainer(runtime, context.environment, dependency);
  }
  gates.started.get(dependency.name)?.resolve();

  await waitReady({
    runtime,
    clock,
    name: dependency.name,
    containerId: id,
    readiness: dependency.readiness,
    ports: dependency.ports,
    signal,
    onWaiting: (detail) => event('starting', detail),
    ...(context.readinessHints ? { hints: context.readinessHints } : {}),
  });
  event('ready');
}

/**
 * Pulls the image only when the engine does not have it; builds a `build:` service's image when it is
 * missing or was built from another state of its build context. Progress goes out as sampled events.
 */
export async function ensureImage(
  entity: ContainerEntity,
  context: Omit<ExecuteContext, 'environment'>,
  onBuilding: (detail: string) => void,
): Promise<void> {
  const { runtime, clock, emit, signal } = context;
  const { image, build } = containerShape(entity);
  if (build) {
    const wanted = context.fingerprints?.get(entity.name);
    const built = await runtime.imageConfig(image);
    if (built && (wanted === undefined || built.labels[DevenvLabel.buildFingerprint] === wanted.value))
      return;
    await buildServiceImage(entity, context, onBuilding, wanted);
    return;
  }
  if (await runtime.imageExists(image)) return;
  const dependency = { name: entity.name, image };
  const tracker = new PullProgressTracker();
  let lastSent = 0;
  const send = (): void => {
    lastSent = clock.now();
    emit({
      type: 'pull-progress',
      at: lastSent,
      name: dependency.name,
      image: dependency.image,
      ...tracker.totals(),
    });
  };
  send();
  await runtime.pullImage(dependency.image, {
    signal,
    onProgress: (progress) => {
      tracker.add(progress);
      if (clock.now() - lastSent >= PROGRESS_INTERVAL_MS) send();
    },
  });
  send();
}

/**
 * Builds a service's image from its context (honouring `.dockerignore`), showing the builder's last
 * line, and labels it with the context's fingerprint (taken now when not given) so the next `up` knows
 * which state of the context it was built from. Resolves with that fingerprint.
 */
export async function buildServiceImage(
  entity: ContainerEntity,
  context: Pick<ExecuteContext, 'runtime' | 'clock' | 'signal'>,
  onBuilding: (detail: string) => void,
  fingerprint?: BuildFingerprint,
): Promise<BuildFingerprint | undefined> {
  const { build, image } = containerShape(entity);
  if (!build) return undefined;
  let lastSent = 0;
  onBuilding(`building ${image}`);
  const options = buildOptions(build, image);
  const builtFrom = fingerprint ?? (await context.runtime.buildFingerprint(fingerprintOptions(build, image)));
  await context.runtime.buildImage({
    ...options,
    labels: { ...entity.labels, [DevenvLabel.buildFingerprint]: builtFrom.value },
    signal: context.signal,
    onProgress: (progress) => {
      if (progress.kind !== 'output' || context.clock.now() - lastSent < PROGRESS_INTERVAL_MS) return;
      lastSent = context.clock.now();
      const line = progress.text.trim();
      if (line) onBuilding(line.slice(0, 120));
    },
  });
  return builtFrom;
}

/** What the engine builds a `build:` service from. */
function buildOptions(build: NonNullable<ContainerShape['build']>, tag: string) {
  return {
    context: build.context,
    dockerfile: build.dockerfile,
    ...(build.target ? { target: build.target } : {}),
    buildArgs: build.args,
    tag,
  };
}

/** What a `build:` service's fingerprint is taken of: what the build sends, less devenv's own files. */
export function fingerprintOptions(
  build: NonNullable<ContainerShape['build']>,
  tag: string,
): FingerprintOptions {
  return { ...buildOptions(build, tag), skip: build.notFingerprinted };
}

function publishedPorts(dependency: ContainerEntity) {
  return dependency.ports.map((port) => ({
    container: port.container,
    host: port.host,
    hostIp: '127.0.0.1',
    protocol: port.protocol,
  }));
}
