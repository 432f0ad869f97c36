import { spawn } from 'node:child_process';
import { type ProbeResult, probeHttp, probeTcp } from '../host/probe-port.js';
import type { ReadinessProbe } from '../model/readiness.js';

export type { ProbeResult };

/** Where a `command` probe runs: on the host, like the service. */
export interface HostCommandContext {
  cwd: string;
  env: Readonly<Record<string, string>>;
  signal: AbortSignal;
}

const COMMAND_TIMEOUT_MS = 10_000;

/**
 * One readiness attempt against a local process: ports are host ports on 127.0.0.1 (a process's
 * container port is its host port). `log` probes are not attempts but subscriptions; see waitProcessReady.
 */
export async function probeProcessOnce(
  probe: Exclude<ReadinessProbe, { kind: 'log' }>,
  context: HostCommandContext,
): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'tcp':
      return probeTcp(probe.port);
    case 'http':
      return probeHttp(probe.port, probe.path, probe.status);
    case 'command':
      return commandProbe(probe.command, context);
  }
}

function commandProbe(command: readonly string[], context: HostCommandContext): Promise<ProbeResult> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.resolve({ ready: false, detail: 'empty command' });
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: context.cwd,
      env: context.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      signal: AbortSignal.any([context.signal, AbortSignal.timeout(COMMAND_TIMEOUT_MS)]),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-500);
    });
    child.once('error', (error) => resolve({ ready: false, detail: error.message }));
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ ready: true });
      const last = stderr.trim().split('\n').pop();
      resolve({ ready: false, detail: `${signal ?? `exit ${code}`}${last ? `: ${last}` : ''}` });
    });
  });
}
