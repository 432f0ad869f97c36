import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { ReadinessProbe } from '../model/readiness.js';

/** The outcome of one attempt; `detail` says why not, for the timeout message. */
export type ProbeResult = { ready: true } | { ready: false; detail: string };

/** Where a `command` probe runs: on the host, like the service. */
export interface HostCommandContext {
  cwd: string;
  env: Readonly<Record<string, string>>;
  signal: AbortSignal;
}

/** One attempt must not eat the whole readiness budget. */
const ATTEMPT_TIMEOUT_MS = 2_000;
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
      return tcpProbe(probe.port);
    case 'http':
      return httpProbe(probe.port, probe.path, probe.status);
    case 'command':
      return commandProbe(probe.command, context);
  }
}

function tcpProbe(port: number): Promise<ProbeResult> {
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

async function httpProbe(port: number, path: string, status: number | undefined): Promise<ProbeResult> {
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
    // fetch wraps the socket error; its code (ECONNREFUSED) is what tells the user something.
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ready: false, detail: cause?.code ?? (error as Error).message };
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
