import { randomBytes } from 'node:crypto';
import { configHash } from '../config/config-hash.js';
import { containerSpecFor } from '../engine/container-spec-for.js';
import { desiredStateFromModel } from '../engine/desired-state-from-model.js';
import { ensureImage, executePlan } from '../engine/execute-plan.js';
import { IMAGE_VOLUME_LABEL } from '../engine/image-volumes.js';
import { environmentFilter, observeEnvironment } from '../engine/observe-environment.js';
import { type ReadinessHints, readinessHints, waitReady } from '../engine/wait-ready.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { formatPlan } from '../reconcile/plan.js';
import { reconcile } from '../reconcile/reconcile.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { Clock } from '../util/clock.js';
import { hashBasicCredentials, verifyBasicCredentials } from './basic-auth.js';
import { PREVIEW_SHARED_LABEL } from './containerise-service.js';
import { PREVIEW_REVISION_LABEL, planServiceUpdate } from './plan-service-update.js';
import {
  PREVIEW_HOST_LABEL,
  PREVIEW_LABEL,
  PREVIEW_PORT_LABEL,
  type PreviewRecord,
} from './preview-contract.js';
import { acquirePreviewLock, type LockHolderOptions, thisProcessAsHolder } from './preview-lock.js';
import type { PreviewModel, PreviewService } from './preview-model.js';
import { readPreviewRecords, writePreviewRecord } from './preview-records.js';
import { runSeed } from './run-seed.js';
import { restoreSnapshot } from './snapshots.js';

export interface DeployPreviewOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  model: PreviewModel;
  commit: string | undefined;
  ttlMs: number;
  access: PreviewRecord['access'];
  /** `user:password` a private preview also accepts (`access: basic`); only its hash is stored. */
  basicAuth?: string | undefined;
  publicPaths: readonly string[];
  idleSleepMinutes: number;
  emit: (event: EnvironmentEvent) => void;
  /** One human line about a step of the deploy. */
  progress: (line: string) => void;
  signal: AbortSignal;
  /** Who takes the preview's lock; this process by default (tests stand in for other machines). */
  lockHolder?: LockHolderOptions;
}

/**
 * `preview up` on the preview host's engine: writes the record first (URLs and expiry are known before
 * anything runs, and gc never takes a preview being built for an orphan), brings the dependencies up
 * through the engine's reconcile (a new preview starts from the snapshot, if one is named), builds every
 * service image, then replaces each service blue-green (a new container next to the old one, the old
 * one removed once the new one is ready), and seeds a new preview. Returns the record written.
 */
export async function deployPreview(options: DeployPreviewOptions): Promise<PreviewRecord> {
  const { model } = options;
  // Two runs for one branch (two terminals, a CI retry) would race on its record and containers.
  const lock = await acquirePreviewLock({
    runtime: options.runtime,
    clock: options.clock,
    project: model.environment.project,
    env: model.environment.env,
    previewId: model.id,
    command: 'preview up',
    ...(options.lockHolder ?? (await thisProcessAsHolder())),
    progress: options.progress,
    signal: options.signal,
  });
  try {
    return await deployLocked(options);
  } finally {
    await lock.release();
  }
}

async function deployLocked(options: DeployPreviewOptions): Promise<PreviewRecord> {
  const { runtime, clock, model, signal, progress } = options;
  const { environment } = model;
  const previous = (await readPreviewRecords(runtime)).get(model.id)?.record;
  // A first deploy that failed or was interrupted is set up again: its seed never ran, and a snapshot
  // copy may have stopped half-way.
  const firstSetup = previous === undefined || previous.setupPending === true;
  const now = new Date(clock.now());
  const record: PreviewRecord = {
    id: model.id,
    project: environment.project,
    env: environment.env,
    branch: model.branch,
    commit: options.commit,
    created: previous?.created ?? now,
    updated: now,
    expires: new Date(now.getTime() + options.ttlMs),
    access: options.access,
    ...basicAuthHash(options, previous),
    // The secret signs share links: it stays the same across updates so links keep working.
    secret: previous?.secret ?? randomBytes(32).toString('base64url'),
    publicPaths: options.publicPaths,
    domain: model.domain,
    idleSleepMinutes: options.idleSleepMinutes,
    services: model.urls.map((url) => ({ service: url.service, host: url.host })),
    ...(firstSetup ? { setupPending: true } : {}),
  };
  await writePreviewRecord(runtime, record);
  progress(previous === undefined ? `creating preview ${model.id}` : `updating preview ${model.id}`);
  const snapshot = environment.preview?.snapshot;
  if (previous?.setupPending === true && snapshot !== undefined) {
    progress(`the first deploy did not finish: starting the dependencies from snapshot ${snapshot} again`);
    await removeDependencyData(runtime, model);
  }

  // Dependencies (and the network) through the engine's own reconcile; service containers are ours.
  const dependencyEnvironment = { ...environment, services: [] };
  const observed = await observeEnvironment(runtime, environment.project, environment.env);
  const serviceIds = new Set(
    observed.containers.filter((c) => c.labels['devenv.kind'] === 'service').map((c) => c.id),
  );
  const state = {
    ...observed.state,
    containers: observed.state.containers.filter((container) => !serviceIds.has(container.id)),
  };
  const plan = reconcile(desiredStateFromModel(dependencyEnvironment), state);
  options.emit({ type: 'plan', at: clock.now(), steps: formatPlan(plan).split('\n').filter(Boolean) });
  const dependencies = async (): Promise<void> => {
    if (firstSetup && snapshot !== undefined) {
      for (const dependency of model.dependencies) {
        const restored = await restoreSnapshot(runtime, { environment, snapshot, dependency, signal });
        if (restored.length > 0)
          progress(`${dependency.name}: started from snapshot ${snapshot} (${restored.join(', ')})`);
      }
    }
    await executePlan(plan, {
      runtime,
      clock,
      environment: dependencyEnvironment,
      emit: options.emit,
      signal,
      readinessHints: previewDependencyHints(model.branch),
    });
  };
  // Images build while the dependencies start (a database's first start is the slowest step); both
  // settle before any error is thrown, so nothing is left running in the background.
  const [started, built] = await Promise.allSettled([
    dependencies(),
    Promise.all(model.services.map((service) => serviceImage(service, options))),
  ]);
  if (started.status === 'rejected') throw started.reason;
  if (built.status === 'rejected') throw built.reason;
  const images = built.value;
  for (const [index, service] of model.services.entries()) {
    signal.throwIfAborted();
    await deployService(service, images[index] ?? '', options);
  }
  // A service no longer in devenv.yaml would otherwise keep running (and reading the preview's data)
  // until `preview down`: the dependencies' reconcile removes theirs, this removes the services'.
  const kept = new Set(model.services.map((service) => service.name));
  const dropped = observed.containers.filter(
    (c) => c.labels['devenv.kind'] === 'service' && !kept.has(c.labels[DevenvLabel.name] ?? ''),
  );
  for (const name of new Set(dropped.map((c) => c.labels[DevenvLabel.name]))) {
    progress(`${name}: removed (no longer in devenv.yaml)`);
  }
  await removeContainers(
    runtime,
    dropped.map((c) => c.id),
  );

  const seed = environment.preview?.seed;
  if (firstSetup && seed !== undefined) {
    progress(`seeding ${seed.target}`);
    await runSeed(runtime, { project: environment.project, env: environment.env, seed, signal });
  }
  if (!firstSetup) return record;
  // Set up: a record without the mark, newer than the first (the newest record wins).
  const { setupPending: _, ...done } = record;
  const finished = { ...done, updated: new Date(Math.max(clock.now(), record.updated.getTime() + 1)) };
  await writePreviewRecord(runtime, finished);
  return finished;
}

/**
 * Removes the preview's dependency containers and their volumes, so that they start again from the
 * snapshot: copying over data a dependency already runs on would corrupt it. Only for a preview whose
 * first deploy never finished, so nobody has used that data.
 */
async function removeDependencyData(runtime: ContainerRuntime, model: PreviewModel): Promise<void> {
  const { environment } = model;
  const containers = await runtime.listContainers({
    [DevenvLabel.project]: environment.project,
    [DevenvLabel.env]: environment.env,
    'devenv.kind': 'dependency',
  });
  await removeContainers(
    runtime,
    containers.map((container) => container.id),
  );
  for (const dependency of model.dependencies) {
    for (const volume of dependency.volumes) await runtime.removeVolume(volume.volumeName);
  }
  // The volumes standing in for the images' own VOLUMEs hold that unused data as well.
  const dependencies = new Set(model.dependencies.map((dependency) => dependency.name));
  const imageVolumes = await runtime.listVolumes({
    ...environmentFilter(environment.project, environment.env),
    [IMAGE_VOLUME_LABEL]: true,
  });
  for (const volume of imageVolumes) {
    if (dependencies.has(volume.labels[DevenvLabel.name] ?? '')) await runtime.removeVolume(volume.name);
  }
}

/**
 * The record's basic-auth hash: the previous one while the credentials are unchanged, so the gateway's
 * cache of verified credentials (keyed by the hash) survives an update; a fresh salt otherwise.
 */
function basicAuthHash(
  options: DeployPreviewOptions,
  previous: PreviewRecord | undefined,
): { basicAuth?: string } {
  const credentials = options.basicAuth;
  // Empty: a secret that holds nothing; no header could match it, so no password prompt either.
  if (credentials === undefined || credentials === '' || options.access !== 'private') return {};
  if (previous?.basicAuth !== undefined && verifyBasicCredentials(previous.basicAuth, credentials))
    return { basicAuth: previous.basicAuth };
  return { basicAuth: hashBasicCredentials(credentials) };
}

/** Builds (or pulls) a service's image and returns its id, so an unchanged one keeps its container. */
async function serviceImage(service: PreviewService, options: DeployPreviewOptions): Promise<string> {
  const { runtime, clock, signal, progress, model } = options;
  const { environment } = model;
  const { source } = service.runtime;
  if (source.kind === 'image') {
    await ensureImage(service, { runtime, clock, emit: options.emit, signal }, () => undefined);
    return source.image;
  }
  progress(`${service.name}: building ${source.tag}`);
  // Only the labels `preview down` and gc find images by: the classic builder turns each label into a
  // step of its own after the last instruction, never cached when the code changed. A generated
  // Dockerfile carries them itself, in a LABEL line before the copy (a cached layer).
  const labels = {
    [DevenvLabel.project]: environment.project,
    [DevenvLabel.env]: environment.env,
    [PREVIEW_LABEL]: model.id,
  };
  const generated = service.dockerfileContents;
  const layer = service.dependencyLayer;
  if (layer !== undefined && !(await runtime.imageExists(layer.tag))) {
    progress(`${service.name}: building its dependencies ${layer.tag}`);
    await runtime.buildImage({
      context: source.context,
      dockerfile: source.dockerfile,
      dockerfileContents: withLabels(layer.dockerfile, {
        [DevenvLabel.project]: environment.project,
        [PREVIEW_SHARED_LABEL]: '1',
      }),
      ignore: layer.ignore,
      tag: layer.tag,
      signal,
    });
  }
  const { imageId } = await runtime.buildImage({
    context: source.context,
    dockerfile: source.dockerfile,
    ...(generated === undefined
      ? { labels }
      : { dockerfileContents: withLabels(generated, labels), ignore: service.ignore }),
    ...(source.target ? { target: source.target } : {}),
    buildArgs: source.args,
    tag: source.tag,
    signal,
  });
  return imageId;
}

async function deployService(
  service: PreviewService,
  image: string,
  options: DeployPreviewOptions,
): Promise<void> {
  const { runtime, clock, model, signal, progress } = options;
  const { environment } = model;
  const revision = configHash({ config: service.configHash, image, urls: service.urlEnv }).slice(0, 16);
  const existing = await runtime.listContainers({
    [DevenvLabel.project]: environment.project,
    [DevenvLabel.env]: environment.env,
    [DevenvLabel.name]: service.name,
  });
  const update = planServiceUpdate(existing, revision);
  if (update.kind === 'keep') {
    await removeContainers(runtime, update.remove);
    progress(`${service.name}: unchanged`);
    return;
  }

  const base = containerSpecFor(environment, service);
  const spec = {
    ...base,
    // Unique per revision: the new container runs next to the old one until it is ready.
    name: `${base.name}-${revision.slice(0, 8)}-${clock.now().toString(36)}`,
    env: { ...base.env, ...service.urlEnv },
    labels: {
      ...base.labels,
      [PREVIEW_REVISION_LABEL]: revision,
      ...(service.url === undefined
        ? {}
        : { [PREVIEW_HOST_LABEL]: service.url.host, [PREVIEW_PORT_LABEL]: String(service.url.port) }),
    },
  };
  progress(`${service.name}: starting ${update.old.length > 0 ? 'the new version' : ''}`.trimEnd());
  const created = await runtime.createContainer(spec);
  try {
    await runtime.startContainer(created.id);
    await waitReady({
      runtime,
      clock,
      name: service.name,
      containerId: created.id,
      readiness: service.readiness,
      ports: service.ports,
      signal,
      hints: PREVIEW_SERVICE_HINTS,
    });
  } catch (error) {
    // The old version keeps serving; the failed new one is not left behind.
    await removeContainers(runtime, [created.id]);
    throw error;
  }
  await removeContainers(runtime, update.old);
  progress(`${service.name}: ready${service.url ? ` at ${service.url.url}` : ''}`);
}

/** A preview's dependency keeps its container after a failure: its logs are there to read. */
function previewDependencyHints(branch: string): ReadinessHints {
  return readinessHints(
    (name) => `devenv preview logs --branch ${branch} --service ${name}`,
    'devenv preview up',
  );
}

/** A service's new container is removed after a failure (the version before keeps serving): its last lines are in the message. */
const PREVIEW_SERVICE_HINTS: ReadinessHints = {
  exited: () =>
    'Its last lines are above (the new container was removed; the version before it, if any, keeps serving). Fix the cause, then run `devenv preview up` again.',
  timedOut: () =>
    'Raise its readiness timeout in devenv.yaml if it is just slow; its last lines are above (the new container was removed).',
};

/** A LABEL line right after FROM (labels change per preview, never per edit). */
function withLabels(dockerfile: string, labels: Record<string, string>): string {
  const line = `LABEL ${Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ')}`;
  return dockerfile.replace(/^(FROM .*)$/m, `$1\n${line}`);
}

async function removeContainers(runtime: ContainerRuntime, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      await runtime.stopContainer(id, 1);
      await runtime.removeContainer(id, { force: true });
    }),
  );
}
