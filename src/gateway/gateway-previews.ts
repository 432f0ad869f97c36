import type { ResourceState } from '../events/resource-state.js';
import {
  PREVIEW_HOST_LABEL,
  PREVIEW_LABEL,
  PREVIEW_PORT_LABEL,
  type PreviewRecord,
  parseRecordLabels,
} from '../preview/preview-contract.js';
import type { PublishedEnvironment, RouteTarget } from '../router/route-target.js';
import type { ContainerHealth, ObservedContainer, ObservedVolume } from '../runtime/observed-state.js';

/** What the gateway reads from the engine (and its own memory) to compute what it serves. */
export interface GatewayInputs {
  /** Record volumes (`devenv.preview.record=1`). */
  records: readonly ObservedVolume[];
  /** Containers carrying `devenv.preview`. */
  containers: readonly ObservedContainer[];
  /** Serve only records computed for this base domain (port ignored); all when undefined. */
  domain?: string | undefined;
  /** Serve only these projects; all when undefined. */
  projects?: readonly string[] | undefined;
  /** Records that expired by then are not served (gc removes them a little later). */
  now: Date;
  /** Previews this gateway put to sleep. */
  sleeping: ReadonlySet<string>;
  /** Previews this gateway is waking. */
  waking: ReadonlySet<string>;
  /**
   * Container runs (`runKey`) seen answering HTTP (any status) on their published port. Until then a running
   * container is `starting`: the engine's port proxy accepts connections before the service listens.
   */
  answered: { has(run: string): boolean };
  /** The last output lines of failed containers, by container id (fetched by the caller). */
  lastLines: ReadonlyMap<string, readonly string[]>;
}

/** One HTTP service of a preview as the gateway sees it. */
export interface GatewayService {
  service: string;
  host: string;
  state: ResourceState;
  health: ContainerHealth;
  detail?: string;
  /** The container that serves it (running), or that failed. */
  containerId?: string;
  /** The serving container's `runKey`, while one runs. */
  run?: string;
  /** Its published port on the engine's host, while a container runs. */
  port?: number;
}

export interface GatewayPreview {
  record: PreviewRecord;
  services: readonly GatewayService[];
  /** Asleep: stopped by idle sleep (by this gateway, or by an earlier one). */
  asleep: boolean;
  /** Its routes, as the router's table takes them. */
  environment: PublishedEnvironment;
}

/** The detail of a running container the gateway has not yet seen answer: it probes those. */
export const NOT_ANSWERED = 'waiting for it to answer HTTP';

/** Exit codes of a container stopped on purpose (SIGTERM, SIGKILL after the grace time, clean exit). */
const STOP_EXIT_CODES: ReadonlySet<number> = new Set([0, 137, 143]);

/**
 * Pure: the previews the gateway serves, from the engine's labels alone (so a restarted gateway
 * serves exactly what the previous one did). The newest record per preview id wins; each host goes
 * to the oldest running container carrying it, so a replacement takes over only once `preview up`
 * removes the old one.
 */
export function gatewayPreviews(inputs: GatewayInputs): GatewayPreview[] {
  const domain = inputs.domain === undefined ? undefined : domainHost(inputs.domain);
  return newestRecords(inputs.records)
    .filter((record) => record.expires.getTime() > inputs.now.getTime())
    .filter((record) => inputs.projects === undefined || inputs.projects.includes(record.project))
    .filter((record) => domain === undefined || domainHost(record.domain) === domain)
    .map((record) => previewOf(record, inputs));
}

/** The newest complete record per preview id, sorted by id. */
export function newestRecords(volumes: readonly ObservedVolume[]): PreviewRecord[] {
  const byId = new Map<string, PreviewRecord>();
  for (const volume of volumes) {
    const record = parseRecordLabels(volume.labels);
    if (record === undefined) continue;
    const held = byId.get(record.id);
    if (held === undefined || held.updated.getTime() < record.updated.getTime()) byId.set(record.id, record);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function previewOf(record: PreviewRecord, inputs: GatewayInputs): GatewayPreview {
  const own = inputs.containers.filter((container) => container.labels[PREVIEW_LABEL] === record.id);
  const byHost = record.services.map(({ service, host }) => ({
    service,
    host,
    containers: own.filter(
      (container) => container.labels[PREVIEW_HOST_LABEL]?.toLowerCase() === host.toLowerCase(),
    ),
  }));
  const waking = inputs.waking.has(record.id);
  const stoppedOnPurpose = byHost.every(
    ({ containers }) =>
      containers.length > 0 &&
      containers.every(
        (container) =>
          container.state === 'exited' &&
          container.exitCode !== undefined &&
          STOP_EXIT_CODES.has(container.exitCode),
      ),
  );
  const asleep =
    !waking &&
    (inputs.sleeping.has(record.id) ||
      (record.idleSleepMinutes > 0 && byHost.length > 0 && stoppedOnPurpose));
  const services: GatewayService[] = [];
  const routes: RouteTarget[] = [];
  for (const { service, host, containers } of byHost) {
    const { state, port, ...rest } = serviceState(containers, { asleep, waking }, inputs.answered);
    services.push({ service, host, state, ...rest, ...(port === 0 ? {} : { port }) });
    routes.push({
      service,
      host,
      port,
      state,
      ...(rest.detail === undefined ? {} : { detail: rest.detail }),
      ...(rest.containerId !== undefined && inputs.lastLines.has(rest.containerId)
        ? { lastLines: inputs.lastLines.get(rest.containerId) }
        : {}),
    });
  }
  return {
    record,
    services,
    asleep,
    environment: { project: record.project, env: record.env, routes },
  };
}

interface ServiceState {
  state: ResourceState;
  port: number;
  health: ContainerHealth;
  detail?: string;
  containerId?: string;
}

function serviceState(
  containers: readonly ObservedContainer[],
  preview: { asleep: boolean; waking: boolean },
  answered: GatewayInputs['answered'],
): ServiceState {
  const running = containers
    .filter((container) => container.state === 'running')
    .sort((a, b) => startTime(a) - startTime(b) || a.id.localeCompare(b.id));
  const serving = running[0];
  if (serving !== undefined) {
    const containerPort = Number(serving.labels[PREVIEW_PORT_LABEL]);
    const bound = serving.ports.find((port) => port.container === containerPort && port.protocol === 'tcp');
    const base = { health: serving.health, containerId: serving.id, run: runKey(serving) };
    if (bound === undefined)
      return { ...base, state: 'starting', port: 0, detail: `port ${containerPort} is not published` };
    if (serving.health === 'starting')
      return { ...base, state: 'starting', port: bound.host, detail: 'health check not passed yet' };
    if (!answered.has(runKey(serving)))
      return { ...base, state: 'starting', port: bound.host, detail: NOT_ANSWERED };
    return {
      ...base,
      state: 'ready',
      port: bound.host,
      ...(serving.health === 'unhealthy' ? { detail: 'health check failing' } : {}),
    };
  }
  if (preview.waking)
    return { state: 'starting', port: 0, health: 'none', detail: 'waking up from idle sleep' };
  if (preview.asleep) return { state: 'stopped', port: 0, health: 'none', detail: 'sleeping (idle)' };
  if (containers.length === 0) return { state: 'building', port: 0, health: 'none', detail: 'being built' };
  const newest = [...containers].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  if (newest === undefined || newest.state === 'created' || newest.state === 'restarting')
    return { state: 'starting', port: 0, health: 'none' };
  const code = newest.exitCode ?? 0;
  return {
    state: code === 0 ? 'stopped' : 'failed',
    port: 0,
    health: newest.health,
    detail: code === 0 ? 'exited' : `exited with code ${code}`,
    containerId: newest.id,
  };
}

/**
 * One run of a container (`<id>@<start time>`): a container stopped and started again keeps its id,
 * and must answer again before it is ready.
 */
export function runKey(container: ObservedContainer): string {
  return `${container.id}@${container.startedAt?.getTime() ?? 0}`;
}

function startTime(container: ObservedContainer): number {
  return (container.startedAt ?? container.createdAt).getTime();
}

/** A base domain's host part (`preview.localhost:8080` → `preview.localhost`). */
export function domainHost(domain: string): string {
  return domain.replace(/:\d+$/, '').toLowerCase();
}
