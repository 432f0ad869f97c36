import { join } from 'node:path';
import { type ContainerEntity, containerShape } from '../engine/container-entity.js';
import { containerSpecFor } from '../engine/container-spec-for.js';
import { buildServiceImage } from '../engine/execute-plan.js';
import { environmentFilter } from '../engine/observe-environment.js';
import { waitReady } from '../engine/wait-ready.js';
import { ExternalError } from '../errors/devenv-error.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResourceState } from '../events/resource-state.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { Clock } from '../util/clock.js';
import type { SyncChanges, WatchAction } from '../watch/watch-plan.js';

/**
 * A reload must be quick: the service's own code is being replaced, there is no data to flush (that is
 * what dependencies are for), and a server running as PID 1 often ignores SIGTERM.
 */
const SERVICE_STOP_TIMEOUT_SEC = 2;

export interface ContainerActionContext {
  runtime: ContainerRuntime;
  clock: Clock;
  environment: ResolvedEnvironment;
  emit: (event: EnvironmentEvent) => void;
  signal: AbortSignal;
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
  let id = await containerId(service, context);

  if (action.kind === 'sync' || (action.kind === 'run' && action.sync)) {
    await sync(id, action.sync as SyncChanges, context);
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
    await buildServiceImage(service, context, (detail) => status('building', { detail }));
    status('restarting', { detail: 'replacing the container with the new image' });
    await runtime.stopContainer(id, SERVICE_STOP_TIMEOUT_SEC);
    await runtime.removeContainer(id, { force: true });
    const created = await runtime.createContainer(containerSpecFor(context.environment, service));
    await runtime.startContainer(created.id);
    id = created.id;
  } else if (action.kind !== 'sync' || action.restart) {
    status('restarting', { detail: `${action.files.slice(0, 3).join(', ')} changed` });
    await runtime.stopContainer(id, SERVICE_STOP_TIMEOUT_SEC);
    await runtime.startContainer(id);
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

async function containerId(service: ContainerEntity, context: ContainerActionContext): Promise<string> {
  const { project, env } = context.environment;
  const [container] = await context.runtime.listContainers({
    ...environmentFilter(project, env),
    [DevenvLabel.name]: service.name,
  });
  if (container === undefined) {
    throw new ExternalError('NOT_RUNNING', `${service.name} has no container.`, { hint: 'Run `devenv up`.' });
  }
  return container.id;
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
