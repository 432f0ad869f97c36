import { connect } from 'node:net';
import type { ReadinessProbe } from '../model/readiness.js';
import type { ResolvedPort } from '../model/resolved-port.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';

/** The outcome of one readiness attempt; `detail` says why not, for the timeout message. */
export type ProbeResult = { ready: true } | { ready: false; detail: string };

export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  /** The container's published ports, to reach TCP/HTTP probes from the host. */
  ports: readonly ResolvedPort[];
  /** Only log lines from this run of the container count. */
  startedAt: Date;
  signal: AbortSignal;
}

const ATTEMPT_TIMEOUT_MS = 2_000;

/** One attempt of a readiness probe against a running container. */
export async function probeOnce(probe: ReadinessProbe, target: ProbeTarget): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'command': {
      const result = await target.runtime.exec(target.containerId, probe.command, { signal: target.signal });
      return result.exitCode === 0
        ? { ready: true }
        : { ready: false, detail: `exit ${result.exitCode}${lastLine(result.stdout + result.stderr)}` };
    }
    case 'tcp':
      return tcpProbe(hostPort(probe.port, target.ports));
    case 'http':
      return httpProbe(hostPort(probe.port, target.ports), probe.path, probe.status);
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

/** Probes reach containers through their published host port (the host cannot resolve network aliases). */
function hostPort(containerPort: number, ports: readonly ResolvedPort[]): number | undefined {
  return ports.find((port) => port.container === containerPort)?.host;
}

function tcpProbe(port: number | undefined): Promise<ProbeResult> {
  if (port === undefined) return Promise.resolve({ ready: false, detail: 'the port is not published' });
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: ATTEMPT_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ready: true });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ready: false, detail: 'connection timed out' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ ready: false, detail: error.code ?? error.message }),
    );
  });
}

async function httpProbe(
  port: number | undefined,
  path: string,
  status: number | undefined,
): Promise<ProbeResult> {
  if (port === undefined) return { ready: false, detail: 'the port is not published' };
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ok =
      status === undefined ? response.status >= 200 && response.status < 400 : response.status === status;
    return ok ? { ready: true } : { ready: false, detail: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ready: false, detail: cause?.code ?? (error as Error).message };
  }
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').pop()?.trim();
  return line ? `: ${line}` : '';
}
