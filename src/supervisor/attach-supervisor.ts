import { spawn } from 'node:child_process';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ExternalError } from '../errors/devenv-error.js';
import { type ControlClient, connectControl } from './control-client.js';
import { type HelloResult, PROTOCOL_VERSION } from './control-protocol.js';
import { isAlive, readLockHolder } from './supervisor-lock.js';
import type { SupervisorPaths } from './supervisor-paths.js';

const launcher = fileURLToPath(new URL('../../bin/devenv.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

export interface Attached {
  client: ControlClient;
  hello: HelloResult;
  /** True when this call started the supervisor, false when one was already running. */
  started: boolean;
}

/** Connects to the environment's supervisor if one runs; undefined when none does (stale files are removed). */
export async function findSupervisor(paths: SupervisorPaths): Promise<Attached | undefined> {
  try {
    const client = await connectControl(paths.socket);
    const hello = await client.request('hello');
    if (hello.protocol !== PROTOCOL_VERSION) {
      client.close();
      throw new ExternalError(
        'SUPERVISOR_MISMATCH',
        `The running supervisor (pid ${hello.pid}) is from devenv ${hello.version}, which speaks another protocol.`,
        { hint: `Stop it with \`kill ${hello.pid}\`, then run the command again.` },
      );
    }
    return { client, hello, started: false };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw error;
    // ECONNREFUSED: a socket file without a listener, left by a killed supervisor.
    if (code === 'ECONNREFUSED') await unlink(paths.socket).catch(() => undefined);
    return undefined;
  }
}

/**
 * `devenv up`'s first step: attach to the running supervisor, or start one in the background and
 * attach once its socket answers. A supervisor that dies while starting is reported with the last
 * lines of its log.
 */
export async function attachOrStartSupervisor(
  paths: SupervisorPaths,
  supervisorArgs: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Attached> {
  const running = await findSupervisor(paths);
  if (running) return running;

  const holder = await readLockHolder(paths.pidFile);
  if (holder !== undefined && isAlive(holder)) {
    // Another `up` started one a moment ago: wait for its socket rather than start a second.
    return waitForSocket(paths, () => undefined);
  }

  await mkdir(paths.dir, { recursive: true });
  const log = await open(paths.logFile, 'a');
  const child = spawn(process.execPath, [launcher, '__supervise', ...supervisorArgs], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: { ...env, NO_COLOR: '1' },
  });
  child.unref();
  await log.close();
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = signal ?? `code ${code}`;
  });
  child.once('error', (error) => {
    exit = error.message;
  });
  const attached = await waitForSocket(paths, () => exit);
  return { ...attached, started: true };
}

async function waitForSocket(paths: SupervisorPaths, exited: () => string | undefined): Promise<Attached> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const attached = await findSupervisor(paths);
    if (attached) return attached;
    const exit = exited();
    if (exit !== undefined) {
      throw new ExternalError(
        'SUPERVISOR_FAILED',
        `The environment supervisor exited while starting (${exit}).${await logTail(paths)}`,
        {
          hint: `Its full log is ${paths.logFile}.`,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new ExternalError(
    'SUPERVISOR_TIMEOUT',
    `The environment supervisor did not answer within ${START_TIMEOUT_MS / 1000}s.`,
    {
      hint: `See ${paths.logFile}.`,
    },
  );
}

async function logTail(paths: SupervisorPaths): Promise<string> {
  const text = await readFile(paths.logFile, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-10).filter(Boolean);
  return lines.length === 0 ? '' : `\n${lines.map((line) => `  │ ${line}`).join('\n')}`;
}
