import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ExternalError } from '../errors/devenv-error.js';
import { liveLockHolder } from './supervisor-lock.js';

const launcher = fileURLToPath(new URL('../../bin/devenv.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

/**
 * A long-lived background process of devenv that clients reach on a unix socket and that holds a pid
 * lock: an environment's supervisor, or the machine's router.
 */
export interface BackgroundProcess<Connection> {
  /** For messages: `environment supervisor`, `devenv router`. */
  what: string;
  /** Prefix of error codes: `SUPERVISOR` gives `SUPERVISOR_FAILED` and `SUPERVISOR_TIMEOUT`. */
  codePrefix: string;
  /** Arguments of `bin/devenv.js`, starting with the hidden entry (`__supervise`, `__router`). */
  launcherArgs: readonly string[];
  dir: string;
  pidFile: string;
  logFile: string;
  env: NodeJS.ProcessEnv;
  /** Connects if the process serves its socket; undefined when it does not (see `connectIfServing`). */
  find: () => Promise<Connection | undefined>;
}

/**
 * Runs `connect` on a socket path; undefined when nothing listens there: no file, or a file nobody
 * listens on (left by a killed process, or one that is about to listen). The file is left in place:
 * the next process to hold the lock removes it before it listens (`startControlServer`).
 */
export async function connectIfServing<Connection>(
  connect: () => Promise<Connection>,
): Promise<Connection | undefined> {
  try {
    return await connect();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return undefined;
    throw error;
  }
}

/**
 * Connects to the process if it runs, or starts it detached (output to its log file) and connects once
 * its socket answers. One that holds the lock without answering yet is starting (its socket comes) or
 * stopping (its lock goes): waited for, then started anew if it went. One that dies while starting is
 * reported with the last lines of its log.
 */
export async function findOrStartBackground<Connection>(
  spec: BackgroundProcess<Connection>,
): Promise<{ connection: Connection; started: boolean }> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const running = await spec.find();
    if (running) return { connection: running, started: false };
    const holder = await liveLockHolder(spec.pidFile);
    if (holder === undefined) break;
    if (Date.now() > deadline) {
      throw new ExternalError(
        `${spec.codePrefix}_TIMEOUT`,
        `The ${spec.what} (pid ${holder}) holds ${spec.pidFile} but has not answered on its socket for ${START_TIMEOUT_MS / 1000}s.`,
        {
          hint: `See ${spec.logFile}; if it hangs, stop it with \`kill ${holder}\` and run the command again.`,
        },
      );
    }
    await sleep(POLL_MS);
  }

  await mkdir(spec.dir, { recursive: true });
  const log = await open(spec.logFile, 'a');
  const child = spawn(process.execPath, [launcher, ...spec.launcherArgs], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: { ...spec.env, NO_COLOR: '1' },
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
  return { connection: await waitForSocket(spec, () => exit), started: true };
}

async function waitForSocket<Connection>(
  spec: BackgroundProcess<Connection>,
  exited: () => string | undefined,
): Promise<Connection> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const connection = await spec.find();
    if (connection) return connection;
    const exit = exited();
    // Lost the race to another client's process, which holds the lock: its socket comes soon.
    if (exit !== undefined && (await liveLockHolder(spec.pidFile)) === undefined) {
      throw new ExternalError(
        `${spec.codePrefix}_FAILED`,
        `The ${spec.what} exited while starting (${exit}).${await logTail(spec.logFile)}`,
        { hint: `Its full log is ${spec.logFile}.` },
      );
    }
    await sleep(POLL_MS);
  }
  throw new ExternalError(
    `${spec.codePrefix}_TIMEOUT`,
    `The ${spec.what} did not answer within ${START_TIMEOUT_MS / 1000}s.`,
    { hint: `See ${spec.logFile}.` },
  );
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-10).filter(Boolean);
  return lines.length === 0 ? '' : `\n${lines.map((line) => `  │ ${line}`).join('\n')}`;
}
