import type Docker from 'dockerode';
import type { ContainerSpec, PortBinding } from '../container-spec.js';

const NS_PER_MS = 1_000_000;

/** The engine's create request for a spec (pure; the adapter sends it). */
export function toCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const hostConfig: Docker.HostConfig = {
    PortBindings: toPortBindings(spec.ports ?? []),
    Mounts: (spec.mounts ?? []).map((mount) => ({
      Type: mount.kind,
      Source: mount.kind === 'volume' ? mount.volume : mount.hostPath,
      Target: mount.target,
      ReadOnly: mount.readOnly ?? false,
    })),
  };
  const options: Docker.ContainerCreateOptions = {
    name: spec.name,
    Image: spec.image,
    Labels: { ...spec.labels },
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: Object.fromEntries((spec.ports ?? []).map((port) => [portKey(port), {}])),
    HostConfig: hostConfig,
  };
  if (spec.cmd) options.Cmd = [...spec.cmd];
  if (spec.entrypoint) options.Entrypoint = [...spec.entrypoint];
  if (spec.workingDir) options.WorkingDir = spec.workingDir;
  if (spec.user) options.User = spec.user;
  if (spec.stopSignal) options.StopSignal = spec.stopSignal;
  if (spec.stopTimeoutSec !== undefined) options.StopTimeout = spec.stopTimeoutSec;
  if (spec.restart) hostConfig.RestartPolicy = { Name: spec.restart };
  if (spec.extraHosts) {
    hostConfig.ExtraHosts = Object.entries(spec.extraHosts).map(([host, address]) => `${host}:${address}`);
  }
  if (spec.network) {
    hostConfig.NetworkMode = spec.network.name;
    options.NetworkingConfig = {
      EndpointsConfig: { [spec.network.name]: { Aliases: [...(spec.network.aliases ?? [])] } },
    };
  }
  if (spec.healthcheck) {
    const { test, intervalMs, timeoutMs, retries, startPeriodMs } = spec.healthcheck;
    // The engine counts in nanoseconds; 0 means "use the default", which is what an omitted field asks for.
    options.Healthcheck = {
      Test: [...test],
      Interval: (intervalMs ?? 0) * NS_PER_MS,
      Timeout: (timeoutMs ?? 0) * NS_PER_MS,
      Retries: retries ?? 0,
      StartPeriod: (startPeriodMs ?? 0) * NS_PER_MS,
    };
  }
  return options;
}

function portKey(port: PortBinding): string {
  return `${port.container}/${port.protocol ?? 'tcp'}`;
}

// Several host bindings may share one container port (e.g. IPv4 and IPv6 loopback).
function toPortBindings(ports: readonly PortBinding[]): Docker.PortMap {
  const map: Docker.PortMap = {};
  for (const port of ports) {
    const binding = { HostIp: port.hostIp ?? '127.0.0.1', HostPort: port.host ? String(port.host) : '' };
    map[portKey(port)] = [...(map[portKey(port)] ?? []), binding];
  }
  return map;
}
