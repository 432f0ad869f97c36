import { type ProbeResult, probeHttp, probeTcp } from '../host/probe-port.js';
import type { ReadinessProbe } from '../model/readiness.js';
import type { ResolvedPort } from '../model/resolved-port.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';

export type { ProbeResult };

export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  /** The container's published ports, to reach TCP/HTTP probes from the host. */
  ports: readonly ResolvedPort[];
  /** Only log lines from this run of the container count. */
  startedAt: Date;
  signal: AbortSignal;
}

/** One attempt of a readiness probe against a running container. */
export async function probeOnce(probe: ReadinessProbe, target: ProbeTarget): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'command': {
      const result = await target.runtime.exec(target.containerId, probe.command, { signal: target.signal });
      return result.exitCode === 0
        ? { ready: true }
        : { ready: false, detail: `exit ${result.exitCode}${lastLine(result.stdout + result.stderr)}` };
    }
    case 'tcp': {
      const port = hostPort(probe.port, target.ports);
      return port === undefined ? notPublished : probeTcp(port);
    }
    case 'http': {
      const port = hostPort(probe.port, target.ports);
      return port === undefined ? notPublished : probeHttp(port, probe.path, probe.status);
    }
    case 'log': {
      const pattern = new RegExp(probe.pattern);
      for await (const line of target.runtime.logs(target.containerId, {
        since: target.startedAt,
        signal: target.signal,
      })) {
        if (pattern.test(line.text)) return { ready: true };
      }
      return { ready: false, detail: 'no matching line yet' };
    }
  }
}

const notPublished: ProbeResult = { ready: false, detail: 'the port is not published' };

/** Probes reach containers through their published host port (the host cannot resolve network aliases). */
function hostPort(containerPort: number, ports: readonly ResolvedPort[]): number | undefined {
  return ports.find((port) => port.container === containerPort)?.host;
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').pop()?.trim();
  return line ? `: ${line}` : '';
}
