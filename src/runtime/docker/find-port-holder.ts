import type Docker from 'dockerode';
import { DevenvLabel } from '../container-spec.js';

/**
 * Who holds a host port, as a phrase for an error message: another container when the engine knows
 * one that publishes it, else a process outside the engine. Only used on the error path.
 */
export async function findPortHolder(docker: Docker, port: number, localEngine: boolean): Promise<string> {
  const elsewhere = localEngine ? 'another process on this machine' : "another process on the engine's host";
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({ filters: { publish: [String(port)] } });
  } catch {
    // Naming the holder is a courtesy on an error path that already has a better error to report.
    return elsewhere;
  }
  const holder = containers.find((c) => c.Ports.some((p) => p.PublicPort === port));
  if (!holder) return elsewhere;
  const name = holder.Names[0]?.replace(/^\//, '') ?? holder.Id.slice(0, 12);
  const project = holder.Labels[DevenvLabel.project];
  const env = holder.Labels[DevenvLabel.env];
  return project ? `container "${name}" (devenv ${project}${env ? `/${env}` : ''})` : `container "${name}"`;
}

/** Whether the engine's start failure is about a host port, and which one if the message says. */
export function parsePortBusy(message: string): { busy: boolean; port: number | undefined } {
  const busy = /port is already allocated|address already in use/i.test(message);
  if (!busy) return { busy, port: undefined };
  // "Bind for 127.0.0.1:6379 failed: …" or "listen tcp6 [::1]:5432: bind: …" (the last `:digits`)
  const match = /(?:Bind for|listen \w+) \S+:(\d+)/.exec(message);
  return { busy, port: match?.[1] ? Number(match[1]) : undefined };
}
