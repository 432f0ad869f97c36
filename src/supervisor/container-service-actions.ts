import { lstat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { BuildRecords } from '../engine/bring-up.js';
import { type ContainerEntity, containerShape } from '../engine/container-entity.js';
import { createAndStartContainer } from '../engine/create-and-start-container.js';
import { buildServiceImage } from '../engine/execute-plan.js';
import { environmentFilter } from '../engine/observe-environment.js';
import { RESTART_MARKER, RESTART_SIGNAL, RESTARTER_LABEL } from '../engine/restart-in-place.js';
import { waitReady } from '../engine/wait-ready.js';
import { ExternalError } from '../errors/devenv-error.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResourceState } from '../events/resource-state.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { fileStamp, fingerprintOf } from '../runtime/build-fingerprint.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { ObservedContainer } from '../runtime/observed-state.js';
import type { Clock } from '../util/clock.js';
import type { SyncChanges, SyncedFile, WatchAction } from '../watch/watch-plan.js';

/**
 * A reload must be quick: the service's own code is being replaced, there is no data to flush (that is
 * what dependencies are for), and a server running as PID 1 often ignores SIGTERM.
 */
const SERVICE_STOP_TIMEOUT_SEC = 2;

/**
 * How long a restart in place may take to end the old process (the restarter sends SIGKILL 3 s after
 * SIGTERM) before devenv restarts the whole container instead.
 */
const IN_PLACE_WAIT_MS = 5_000;

/**
 * Log lines carry the engine's clock: look back this far for the restarter's line, for an engine
 * clock a little behind the host's (Docker Desktop's VM). The previous restart's line is older: a
 * restart takes longer than this from its line to the next signal.
 */
const CLOCK_SLACK_MS = 20;

/** A reloaded server is usually serving within ~100 ms: probe it from 10 ms on, not from 50. */
const RELOAD_FIRST_PROBE_MS = 10;

export interface ContainerActionContext {
  runtime: ContainerRuntime;
  clock: Clock;
  environment: ResolvedEnvironment;
  emit: (event: EnvironmentEvent) => void;
  signal: AbortSignal;
  /** What the running `build:` containers were made from: a sync or rebuild updates it (see `BuildRecords`). */
  builds?: BuildRecords;
}

/**
 * What a batch of file changes (or `devenv restart`) does to a container: copy the changed files in (`sync`), run a
 * command in it (`run`), restart it, or build a new image and replace the container (`rebuild`). Ends
 * with the service `ready` again and the edit-to-serving time measured from `since`.
 */
export async function applyContainerAction(
  service: ContainerEntity,
  action: WatchAction | { kind: 'restart'; files: readonly string[] },
  since: number,
  context: ContainerActionContext,
): Promise<void> {
  const { runtime, clock, emit } = context;
  const status = (
    state: ResourceState,
    extra: Partial<Extract<EnvironmentEvent, { type: 'resource' }>> = {},
  ) => emit({ type: 'resource', at: clock.now(), name: service.name, kind: 'service', state, ...extra });
  const container = await findContainer(service, context);
  let id = container.id;
  /** Only log lines from the current run of the process count for a `log` readiness probe. */
  let runSince: Date | undefined;

  if (action.kind === 'sync' || (action.kind === 'run' && action.sync)) {
    await sync(id, action.sync as SyncChanges, context);
    await recordSync(service, id, action.sync as SyncChanges, context);
  }
  if (action.kind === 'run') {
    for (const command of action.commands) {
      const result = await runtime.exec(id, command, { signal: context.signal });
      for (const text of `${result.stdout}${result.stderr}`.split('\n').filter(Boolean)) {
        emit({ type: 'log', at: clock.now(), name: service.name, stream: 'stdout', text });
      }
      if (result.exitCode !== 0) {
        status('failed', {
          detail: `\`${command.join(' ')}\` exited with ${result.exitCode}; not restarted`,
        });
        return;
      }
    }
  }

  if (action.kind === 'rebuild') {
    // The old container keeps serving while the image builds; a failed build leaves it running.
    status('building', { detail: `${action.files.slice(0, 3).join(', ')} changed` });
    const builtFrom = await buildServiceImage(service, context, (detail) => status('building', { detail }));
    status('restarting', { detail: 'replacing the container with the new image' });
    await runtime.stopContainer(id, SERVICE_STOP_TIMEOUT_SEC);
    await runtime.removeContainer(id, { force: true });
    id = await createAndStartContainer(runtime, context.environment, service);
    if (builtFrom) context.builds?.manifests.set(service.name, builtFrom);
  } else if (action.kind !== 'sync' || action.restart) {
    status('restarting', { detail: `${action.files.slice(0, 3).join(', ')} changed` });
    runSince = container.labels[RESTARTER_LABEL] ? await restartInPlace(id, context) : undefined;
    if (runSince === undefined) {
      await runtime.stopContainer(id, SERVICE_STOP_TIMEOUT_SEC);
      await runtime.startContainer(id);
    }
  }

  status('starting');
  await waitReady({
    runtime,
    clock,
    name: service.name,
    containerId: id,
    readiness: service.readiness,
    ports: service.ports,
    signal: context.signal,
    ...(runSince ? { since: runSince } : {}),
    firstDelayMs: RELOAD_FIRST_PROBE_MS,
  });
  status('ready', {
    reloadMs: clock.now() - since,
    ports: containerShape(service).ports.map((port) => ({
      container: port.container,
      host: port.host,
      hostIp: '127.0.0.1',
      protocol: port.protocol,
    })),
  });
}

async function findContainer(
  service: ContainerEntity,
  context: ContainerActionContext,
): Promise<ObservedContainer> {
  const { project, env } = context.environment;
  const [container] = await context.runtime.listContainers({
    ...environmentFilter(project, env),
    [DevenvLabel.name]: service.name,
  });
  if (container === undefined) {
    throw new ExternalError('NOT_RUNNING', `${service.name} has no container.`, { hint: 'Run `devenv up`.' });
  }
  return container;
}

/**
 * Restarts the service's process inside its running container: the restarter (its PID 1) ends the
 * process on SIGUSR1 and starts it again, saying so in the log once the old one is gone. Resolves with
 * when that line was logged, or undefined when it did not come in time (the caller then restarts the
 * container). The container keeps its network and published ports, so nothing waits for the engine.
 */
async function restartInPlace(id: string, context: ContainerActionContext): Promise<Date | undefined> {
  const { runtime, clock } = context;
  const since = new Date(Date.now() - CLOCK_SLACK_MS);
  await runtime.signalContainer(id, RESTART_SIGNAL);
  const done = new AbortController();
  // The timer's rejection is our own abort once the line came: nothing to report.
  clock.sleep(IN_PLACE_WAIT_MS, done.signal).then(
    () => done.abort(),
    () => undefined,
  );
  try {
    for await (const line of runtime.logs(id, {
      since,
      follow: true,
      signal: AbortSignal.any([done.signal, context.signal]),
    })) {
      if (line.text === RESTART_MARKER) return line.timestamp;
    }
  } finally {
    done.abort();
  }
  context.signal.throwIfAborted();
  return undefined;
}

/**
 * The container now has the synced files as they are on disk: its fingerprint is the one it was
 * current with, with those files' entries brought up to date (nothing else re-read), so an edit to a
 * file no rule covers still counts at the next `up`. Files new to the context are left out: whether
 * the build would send them depends on `.dockerignore`, so the next `up` decides (at worst a rebuild).
 * Without a known fingerprint (the container predates this supervisor) nothing is recorded.
 */
async function recordSync(
  service: ContainerEntity,
  id: string,
  changes: SyncChanges,
  context: ContainerActionContext,
): Promise<void> {
  const { build } = containerShape(service);
  const current = context.builds?.manifests.get(service.name);
  if (!build || !current || !context.builds) return;
  const files = new Map(current.files);
  const entry = (file: SyncedFile) =>
    relative(build.context, join(context.environment.projectDir, file.path)).split(sep).join(posix.sep);
  for (const file of changes.copy) {
    const path = entry(file);
    if (files.has(path)) {
      // Unreadable or gone: recorded as gone, so the next `up` rebuilds rather than trusting the copy.
      files.set(path, fileStamp(await lstat(join(build.context, path)).catch(() => undefined)));
    }
  }
  for (const file of changes.remove) files.delete(entry(file));
  const updated = fingerprintOf(current.inputs, files);
  context.builds.manifests.set(service.name, updated);
  context.builds.synced.set(id, updated.value);
}

async function sync(id: string, changes: SyncChanges, context: ContainerActionContext): Promise<void> {
  const { projectDir } = context.environment;
  await context.runtime.copyToContainer(
    id,
    changes.copy.map((file) => ({ source: join(projectDir, file.path), destination: file.destination })),
  );
  if (changes.remove.length > 0) {
    await context.runtime.exec(id, ['rm', '-f', '--', ...changes.remove.map((file) => file.destination)], {
      signal: context.signal,
    });
  }
}
