import type Docker from 'dockerode';
import type { BoundPort, ContainerHealth, ContainerState, ObservedContainer } from '../observed-state.js';

const STATES: readonly ContainerState[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
];
const HEALTHS: readonly ContainerHealth[] = ['starting', 'healthy', 'unhealthy'];

/** An inspected container in devenv's terms (pure). */
export function mapContainer(info: Docker.ContainerInspectInfo): ObservedContainer {
  const state = STATES.find((s) => s === info.State.Status) ?? 'dead';
  const health = HEALTHS.find((h) => h === info.State.Health?.Status) ?? 'none';
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    labels: { ...(info.Config.Labels ?? {}) },
    state,
    health,
    exitCode: state === 'exited' || state === 'dead' ? info.State.ExitCode : undefined,
    ports: mapPorts(info.NetworkSettings.Ports ?? {}),
    createdAt: new Date(info.Created),
    startedAt: engineDate(info.State.StartedAt),
  };
}

/** `{ "6379/tcp": [{ HostIp, HostPort }] }` → bound ports; unbound (null) entries are left out. */
export function mapPorts(ports: Docker.PortMap): BoundPort[] {
  return Object.entries(ports).flatMap(([key, bindings]) => {
    const [port = '', protocol] = key.split('/');
    return ((bindings ?? []) as Docker.PortBinding[]).map((binding) => ({
      container: Number(port),
      protocol: protocol === 'udp' ? 'udp' : 'tcp',
      hostIp: binding.HostIp ?? '',
      host: Number(binding.HostPort),
    }));
  });
}

// The engine writes the zero time for "never" rather than omitting the field.
function engineDate(text: string | undefined): Date | undefined {
  if (!text || text.startsWith('0001-01-01')) return undefined;
  return new Date(text);
}
