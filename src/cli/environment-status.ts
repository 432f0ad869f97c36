import type { ResourceState } from '../events/resource-state.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { serviceUrl } from '../naming/service-host.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { ObservedContainer } from '../runtime/observed-state.js';
import type { EnvironmentSnapshot, ResourceStatus } from '../supervisor/environment-snapshot.js';

/** `devenv status --json`: documented and stable (see docs/cli.md). */
export interface StatusReport {
  project: string;
  env: string;
  /** Whether a supervisor runs for this environment (`up` attached or `up --detach`). */
  supervisor: { pid: number } | null;
  state: EnvironmentSnapshot['state'] | 'stopped';
  resources: StatusEntry[];
}

export interface StatusEntry {
  name: string;
  kind: 'dependency' | 'service';
  state: ResourceState;
  health: 'none' | 'starting' | 'healthy' | 'unhealthy' | null;
  url: string | null;
  ports: { container: number; host: number }[];
  restarts: number;
  detail: string | null;
  /** Local-process services: the last edit-to-serving time (file event → ready again), in ms. */
  lastReloadMs?: number | null;
}

/** One line of the report: a dependency or service, and what is known of it without running it. */
interface StatusSubject {
  name: string;
  kind: 'dependency' | 'service';
  /** A local process: it exists only while a supervisor runs it. */
  process: boolean;
  url: string | null;
}

type SupervisorState = { pid: number; snapshot: EnvironmentSnapshot } | undefined;

/**
 * Pure: one entry per dependency/service of the model, from the supervisor's snapshot when one runs,
 * else from what the engine reports (a running container without a supervisor counts as ready; its
 * engine health, when it has one, is shown beside).
 */
export function statusReport(
  environment: ResolvedEnvironment,
  containers: readonly ObservedContainer[],
  supervisor: SupervisorState,
  routerPort: number,
): StatusReport {
  const subjects = [...environment.dependencies, ...environment.services].map(
    (entity): StatusSubject => ({
      name: entity.name,
      kind: entity.kind,
      process: entity.kind === 'service' && entity.runtime.kind === 'process',
      url:
        entity.kind === 'service' && entity.ports[0] !== undefined
          ? serviceUrl(environment.project, environment.branch, entity.name, routerPort)
          : null,
    }),
  );
  return report(environment, subjects, containers, supervisor);
}

/**
 * Pure: the report without a usable devenv.yaml (a bad edit while the environment runs): what the
 * supervisor tracks, and the containers the engine has with the environment's labels.
 */
export function statusOfWhatRuns(
  identity: { project: string; env: string; branch: string | undefined },
  containers: readonly ObservedContainer[],
  supervisor: SupervisorState,
  routerPort: number,
): StatusReport {
  const named = (container: ObservedContainer) => container.labels[DevenvLabel.name] ?? container.name;
  const tracked = supervisor?.snapshot.resources ?? [];
  const subjects: StatusSubject[] = [
    ...tracked.map((resource) => ({
      name: resource.name,
      kind: resource.kind,
      process:
        resource.kind === 'service' && !containers.some((container) => named(container) === resource.name),
      url:
        resource.kind === 'service' && resource.ports.length > 0
          ? serviceUrl(identity.project, identity.branch, resource.name, routerPort)
          : null,
    })),
    // Without a supervisor nothing says what kind a container is: the engine's side is what is known.
    ...containers
      .filter((container) => !tracked.some((resource) => resource.name === named(container)))
      .map((container) => ({
        name: named(container),
        kind: 'dependency' as const,
        process: false,
        url: null,
      })),
  ];
  return report(identity, subjects, containers, supervisor);
}

function report(
  identity: { project: string; env: string },
  subjects: readonly StatusSubject[],
  containers: readonly ObservedContainer[],
  supervisor: SupervisorState,
): StatusReport {
  const tracked = (name: string): ResourceStatus | undefined =>
    supervisor?.snapshot.resources.find((resource) => resource.name === name);
  const resources = subjects.map((entity): StatusEntry => {
    const status = tracked(entity.name);
    const { url } = entity;
    if (entity.process) {
      // Local-process services exist only while a supervisor runs them.
      return {
        name: entity.name,
        kind: 'service',
        state: status?.state ?? 'stopped',
        health: null,
        url,
        ports: (status?.ports ?? []).map((port) => ({ container: port.container, host: port.host })),
        restarts: status?.restarts ?? 0,
        detail: status?.detail ?? null,
        lastReloadMs: status?.lastReloadMs ?? null,
      };
    }
    const container = containers.find((candidate) => candidate.labels[DevenvLabel.name] === entity.name);
    return {
      name: entity.name,
      kind: entity.kind,
      state: status?.state ?? engineState(container),
      health: container?.health ?? null,
      url,
      ports: (container?.ports ?? []).map((port) => ({ container: port.container, host: port.host })),
      restarts: status?.restarts ?? 0,
      detail:
        status?.detail ??
        (container?.state === 'exited' ? `exited with code ${container.exitCode ?? '?'}` : null),
      ...(entity.kind === 'service' ? { lastReloadMs: status?.lastReloadMs ?? null } : {}),
    };
  });
  const anyRunning = resources.some((resource) => resource.state !== 'stopped');
  return {
    project: identity.project,
    env: identity.env,
    supervisor: supervisor ? { pid: supervisor.pid } : null,
    state: supervisor?.snapshot.state ?? (anyRunning ? 'ready' : 'stopped'),
    resources,
  };
}

function engineState(container: ObservedContainer | undefined): ResourceState {
  if (container === undefined) return 'stopped';
  switch (container.state) {
    case 'running':
      return container.health === 'starting'
        ? 'starting'
        : container.health === 'unhealthy'
          ? 'crashed'
          : 'ready';
    case 'restarting':
      return 'restarting';
    case 'created':
      return 'pending';
    case 'exited':
    case 'dead':
      return container.exitCode === 0 ? 'stopped' : 'crashed';
    default:
      return 'stopped';
  }
}

/** The human table of `devenv status`. */
export function formatStatus(report: StatusReport): string {
  const header = `${report.project}/${report.env}: ${report.state}${report.supervisor ? ` (supervisor pid ${report.supervisor.pid})` : ''}`;
  const rows = report.resources.map((resource) => {
    const ports = resource.ports.map((port) => `127.0.0.1:${port.host}→${port.container}`).join(' ');
    const restarts = resource.restarts > 0 ? ` restarts ${resource.restarts}` : '';
    const reload = resource.lastReloadMs ? ` reload ${resource.lastReloadMs} ms` : '';
    const detail = resource.detail ? `  ${resource.detail}` : '';
    return `  ${resource.name.padEnd(12)} ${resource.kind.padEnd(10)} ${resource.state.padEnd(10)} ${ports}${restarts}${reload}${detail}`;
  });
  return `${[header, ...rows].join('\n')}\n`;
}
