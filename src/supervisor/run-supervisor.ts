import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mergeSelections, type Selection, type SelectionRequest } from '../config/select-entities.js';
import { type BuildRecords, bringUp } from '../engine/bring-up.js';
import { containerEntities, isContainerService } from '../engine/container-entity.js';
import { environmentFilter } from '../engine/observe-environment.js';
import type { HostPorts } from '../engine/settle-host-ports.js';
import { ExternalError, UsageError } from '../errors/devenv-error.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { connectRouter, type RouterClient } from '../router/connect-router.js';
import { routeTargets } from '../router/route-targets.js';
import { routerPort } from '../router/router-paths.js';
import { serviceUrlEnv } from '../router/service-url-env.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Clock } from '../util/clock.js';
import type { WatchAction } from '../watch/watch-plan.js';
import { applyContainerAction } from './container-service-actions.js';
import { type ControlRequest, type HelloResult, PROTOCOL_VERSION } from './control-protocol.js';
import { type ControlConnection, startControlServer } from './control-server.js';
import { DeliberateStops } from './deliberate-stops.js';
import { emptySnapshot, isSettled } from './environment-snapshot.js';
import { EnvironmentStore } from './environment-store.js';
import { LogBuffer } from './log-buffer.js';
import { readPortsFile, writePortsFile } from './ports-file.js';
import { groupsRecorder, killLeftoverGroups } from './process-groups-file.js';
import { writeSelectionFile } from './selection-file.js';
import { ServiceProcesses } from './service-processes.js';
import { startWatching } from './start-watching.js';
import { acquireSupervisorLock } from './supervisor-lock.js';
import type { SupervisorPaths } from './supervisor-paths.js';
import { UsageSampler } from './usage-sampler.js';
import { watchContainers } from './watch-containers.js';

export interface SupervisorOptions {
  /** The environment as first resolved; `load` re-reads devenv.yaml for each `up`. */
  initial: ResolvedEnvironment;
  load: (
    overrides: HostPortOverrides,
    select: Selection,
    environment: NodeJS.ProcessEnv | undefined,
  ) => ResolvedEnvironment;
  /** What earlier `up`s of this environment asked for (a killed predecessor's `selection.json`). */
  kept: SelectionRequest | undefined;
  paths: SupervisorPaths;
  runtime: ContainerRuntime;
  hostPorts: HostPorts;
  clock: Clock;
  version: string;
  /** Aborted by SIGTERM/SIGINT to the supervisor process. */
  signal: AbortSignal;
  log: (line: string) => void;
}

/**
 * The per-environment supervisor: owns the running state, serves clients on the control socket, and
 * runs until a client asks it to shut down or it receives a signal. Dependencies keep running when it
 * stops (a fast next `up`); `devenv down` removes them.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<void> {
  const { initial, paths, clock, log } = options;
  const deliberate = new DeliberateStops();
  // Every stop the supervisor makes goes through this runtime, so its engine `die` is not taken for a crash.
  const runtime = deliberate.track(options.runtime);
  const lock = await acquireSupervisorLock(paths.pidFile);
  const store = new EnvironmentStore(emptySnapshot(initial.project, initial.env));
  const logs = new LogBuffer();
  store.subscribe((event) => {
    if (event.type === 'log') logs.add(event);
  });
  await killLeftoverGroups(paths.groupsFile, log);
  const environmentKey = { project: initial.project, env: initial.env };
  let router: RouterClient | undefined;
  const services = new ServiceProcesses({
    clock,
    baseEnv: process.env,
    extraEnv: (name) => serviceUrlEnv(current, name, router?.port ?? routerPort(process.env)),
    emit: (event) => store.dispatch(event),
    onGroupsChanged: groupsRecorder(paths.groupsFile, log),
    hostPorts: options.hostPorts,
  });
  let fileWatcher: { close(): Promise<void> } | undefined;
  const usage = new UsageSampler({
    runtime,
    clock,
    environment: () => current,
    pidOf: (name) => services.pidOf(name),
    emit: (event) => store.dispatch(event),
    log,
  });
  const stopping = Promise.withResolvers<void>();
  const work = new AbortController();
  const onSignal = (): void => stopping.resolve();
  options.signal.addEventListener('abort', onSignal, { once: true });

  let current = initial;
  /** What the `build:` containers were made from: files a sync copied in need no rebuild at the next `up`. */
  const builds: BuildRecords = { manifests: new Map(), synced: new Map() };
  /** Every `up` adds what it asks for (`devenv up worker` never stops the rest); `down` forgets it. */
  let kept = options.kept;
  /**
   * The variables of the shell that ran the latest `devenv up` (`FOO=2 devenv up -d` while the
   * environment runs means FOO=2 from now on, reloads included); before any, the supervisor's own.
   */
  let variables: NodeJS.ProcessEnv | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** One `up` or `restart` at a time: they would otherwise race on the same containers. */
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  };

  const hello: HelloResult = {
    protocol: PROTOCOL_VERSION,
    version: options.version,
    pid: process.pid,
    project: initial.project,
    env: initial.env,
    root: initial.projectDir,
  };

  const handle = async (request: ControlRequest, connection: ControlConnection): Promise<unknown> => {
    switch (request.method) {
      case 'hello':
        return hello;
      case 'status':
        return store.getSnapshot();
      case 'subscribe': {
        const unsubscribe = store.subscribe((event) => connection.push(event));
        connection.onClose(unsubscribe);
        if (request.metrics) connection.onClose(usage.lease());
        return store.getSnapshot();
      }
      case 'up':
        return serialized(async () => {
          const asked = request.select ?? {};
          if (request.environment) variables = request.environment;
          let resolved = false;
          // Kept once devenv.yaml resolved with it (the names exist), even when starting fails: the
          // reload after the user's fix must run what was asked for.
          const remember = async (): Promise<void> => {
            if (!resolved || request.select === undefined) return;
            kept = mergeSelections(kept, request.select);
            await writeSelectionFile(paths.selectionFile, kept);
          };
          const broughtUp = await bringUp({
            runtime,
            clock,
            hostPorts: options.hostPorts,
            // What was asked now must exist; what earlier `up`s asked may have left devenv.yaml since.
            load: (overrides) => {
              const environment = options.load(overrides, { ...asked, keep: kept }, variables);
              resolved = true;
              return environment;
            },
            ports: {
              read: () => readPortsFile(paths.portsFile),
              write: (o) => writePortsFile(paths.portsFile, o),
            },
            emit: (event) => store.dispatch(event),
            signal: work.signal,
            builds,
          }).catch(async (error: unknown) => {
            await remember();
            store.dispatch({
              type: 'environment',
              at: clock.now(),
              state: 'failed',
              detail: firstLine(error),
            });
            throw error;
          });
          // Also when some containers failed (reported as such): the rest is brought in line.
          current = broughtUp.environment;
          await remember();
          await services.reconcile(current, new Set(broughtUp.failed.map((failure) => failure.name)));
          // What devenv.yaml no longer has is gone (the plan removed its container, reconcile its
          // process): it leaves the status too, and never counts as "not ready" again.
          const wanted = new Set(current.startOrder);
          const removed = store
            .getSnapshot()
            .resources.map((resource) => resource.name)
            .filter((name) => !wanted.has(name));
          if (removed.length > 0) store.dispatch({ type: 'removed', at: clock.now(), names: removed });
          const notReady = store.getSnapshot().resources.filter((resource) => !isSettled(resource));
          store.dispatch({
            type: 'environment',
            at: clock.now(),
            state: notReady.length === 0 ? 'ready' : 'failed',
            ...(notReady.length === 0
              ? {}
              : { detail: `not ready: ${notReady.map((r) => r.name).join(', ')}` }),
          });
          fileWatcher ??= await startWatching({
            current: () => current,
            clock,
            onConfigChanged: (files) => {
              log(`${files.join(', ')} changed: reconciling`);
              handle({ id: 0, method: 'up' }, quiet).catch((error: unknown) => log(firstLine(error)));
            },
            onAction: (action, since) => {
              act(action, since).catch((error: unknown) => log(firstLine(error)));
            },
            onPrepare: (service, since) => services.prepareRestart(service, since),
            log,
          });
          return store.getSnapshot();
        });
      case 'logs':
        return logs.lines(request.names ?? []);
      case 'restart':
        return serialized(async () => {
          const container = containerEntities(current).find((entity) => entity.name === request.name);
          if (container) {
            await applyContainerAction(
              container,
              { kind: 'restart', files: [] },
              clock.now(),
              containerContext(),
            );
          } else if (services.has(request.name)) {
            const outcome = await services.restart(request.name, 'restart requested', clock.now());
            if (!outcome.ok) {
              throw new ExternalError('NOT_READY', `${request.name} is ${outcome.state}: ${outcome.detail}`);
            }
          } else if (current.startOrder.includes(request.name)) {
            // In devenv.yaml, but its process never started (what it depends on did not become ready).
            const status = store.getSnapshot().resources.find((resource) => resource.name === request.name);
            throw new ExternalError(
              'NOT_READY',
              `${request.name} is not running${status ? ` (${status.state}${status.detail ? `: ${status.detail}` : ''})` : ''}.`,
              { hint: 'Fix what it waits for, then run `devenv up` again; it starts with the rest.' },
            );
          } else {
            // Not in devenv.yaml, or in it but not selected (`devenv up web` leaves the rest out).
            throw new UsageError(
              'UNKNOWN_NAME',
              `${request.name} is not a dependency or service this environment runs.`,
              {
                hint: `It runs: ${current.startOrder.join(', ') || 'nothing'}. \`devenv up ${request.name}\` starts it, if devenv.yaml has it.`,
              },
            );
          }
          return store.getSnapshot();
        });
      case 'rebuild':
        return serialized(async () => {
          const service = current.services.filter(isContainerService).find((s) => s.name === request.name);
          if (service?.runtime.source.kind !== 'build') {
            throw new UsageError('NOT_REBUILDABLE', `${request.name} has no image to rebuild.`, {
              hint: `Only services with \`build:\` are rebuilt; \`devenv restart ${request.name}\` restarts it.`,
            });
          }
          await applyContainerAction(
            service,
            { kind: 'rebuild', service: service.name, files: [] },
            clock.now(),
            containerContext(),
          );
          return store.getSnapshot();
        });
      case 'shutdown':
        stopping.resolve();
        return null;
    }
  };

  const containerContext = () => ({
    runtime,
    clock,
    environment: current,
    emit: (event: EnvironmentEvent) => store.dispatch(event),
    signal: work.signal,
    builds,
  });

  /** What a batch of file changes asks of one service. */
  const act = async (action: WatchAction, since: number): Promise<void> => {
    const reason = `${action.files.slice(0, 3).join(', ')}${action.files.length > 3 ? ', …' : ''} changed`;
    const containerService = current.services
      .filter(isContainerService)
      .find((s) => s.name === action.service);
    if (containerService) {
      // One action at a time per environment: a rebuild must not race an `up` recreating the same container.
      await serialized(() => applyContainerAction(containerService, action, since, containerContext()));
    } else if (action.kind === 'restart') {
      await services.restart(action.service, reason, since);
    } else if (action.kind === 'run') {
      await services.runThenRestart(action.service, action.commands, reason, since);
    } else {
      log(`${action.service}: ${action.kind} on change needs a container service (build: or image:)`);
    }
  };

  await mkdir(dirname(paths.socket), { recursive: true, mode: 0o700 });
  // The watcher's own `up` (devenv.yaml changed) has no client to push events to.
  const quiet: ControlConnection = { push: () => undefined, onClose: () => undefined };
  const server = await startControlServer(paths.socket, handle);
  log(`supervisor ${process.pid} serving ${initial.project}/${initial.env} on ${paths.socket}`);
  // The machine's router gives services their stable URLs; best effort: without it (its port taken,
  // say) the environment still runs and services answer on their own ports.
  const publishRoutes = (): void => {
    router?.publish(environmentKey, routeTargets(current, store.getSnapshot())).catch((error: unknown) => {
      log(`router: ${firstLine(error)}`);
    });
  };
  store.subscribe((event) => {
    if (event.type !== 'log' && event.type !== 'metrics') publishRoutes();
  });
  connectRouter(process.env, { log }).then(
    (client) => {
      if (work.signal.aborted) return client.close();
      router = client;
      publishRoutes();
    },
    (error: unknown) => log(`router unavailable, services keep their own ports: ${firstLine(error)}`),
  );
  const watching = keepWatching(
    () =>
      watchContainers({
        runtime,
        filter: environmentFilter(initial.project, initial.env),
        clock,
        dispatch: (event) => store.dispatch(event),
        signal: work.signal,
        deliberate,
      }),
    { clock, signal: work.signal, log },
  );

  try {
    await stopping.promise;
  } finally {
    log('supervisor stopping');
    store.dispatch({ type: 'environment', at: clock.now(), state: 'stopping' });
    work.abort(new ExternalError('SUPERVISOR_STOPPING', 'The environment supervisor is stopping.'));
    usage.stop();
    // Before waiting for the queue: an `up` waiting for a service to become ready returns once it stops.
    await services.close();
    await queue;
    await fileWatcher?.close();
    // Closing withdraws too; an explicit withdraw just makes the router say "unknown host" at once.
    await router?.withdraw(environmentKey).catch((error: unknown) => log(`router: ${firstLine(error)}`));
    router?.close();
    store.dispatch({ type: 'environment', at: clock.now(), state: 'stopped' });
    await server.close();
    await watching;
    await lock.release();
    options.signal.removeEventListener('abort', onSignal);
  }
}

/**
 * The engine's event stream ends when the engine restarts or the connection drops; the supervisor
 * outlives that and re-subscribes with a growing pause, until it stops.
 */
async function keepWatching(
  watch: () => Promise<void>,
  { clock, signal, log }: { clock: Clock; signal: AbortSignal; log: (line: string) => void },
): Promise<void> {
  for (let failures = 0; !signal.aborted; ) {
    try {
      await watch();
      failures = 0;
    } catch (error) {
      if (signal.aborted) return;
      failures++;
      log(`engine events interrupted (${firstLine(error)}); retrying`);
    }
    await clock.sleep(Math.min(30_000, 500 * 2 ** failures), signal).catch(() => undefined);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
