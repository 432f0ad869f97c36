import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { BugError, ExternalError } from '../errors/devenv-error.js';
import { type Clock, systemClock } from '../util/clock.js';
import { LineSplitter } from './line-splitter.js';
import { isGroupAlive, signalGroup } from './process-group.js';

/** One line of a process's output, without its newline. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** Milliseconds since the epoch, from the injected clock, when the line was complete. */
  timestamp: number;
}

/** How a process ended: `code` when it exited, `signal` when a signal killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartProcessOptions {
  /** argv; a shell string from devenv.yaml arrives as `['sh', '-c', string]`. */
  command: readonly string[];
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment of the process (see `buildProcessEnv`). */
  env: Readonly<Record<string, string>>;
  onLine: (line: OutputLine) => void;
  /** @default systemClock */
  clock?: Clock;
  /** @default 16384 */
  maxLineLength?: number;
}

/** A started process and its process group (the process leads it, so pid = pgid). */
export interface RunningProcess {
  readonly pid: number;
  /** Settles when the process itself exits; its children may still be running. */
  readonly exited: Promise<ProcessExit>;
  /**
   * SIGTERM to the whole group, SIGKILL to the group after `graceMs`; resolves once the process has
   * exited, no process of the group is left and its output is flushed. Idempotent: later calls share
   * the first one's promise. Rejects with `PROCESS_GROUP_STUCK` when even SIGKILL did not end it.
   */
  stop(graceMs: number): Promise<ProcessExit>;
}

/** How often the group is checked while stopping; small, since restart latency is what users feel. */
const POLL_MS = 10;
/** After SIGKILL the kernel needs only moments; longer means something we cannot fix. */
const KILL_WAIT_MS = 3_000;
/** Output can lag the exit a little; a daemon that escaped the group may hold the pipe forever. */
const DRAIN_WAIT_MS = 500;

/** Spawns `command` as the leader of a new process group; rejects when it cannot be started at all. */
export async function startProcess(options: StartProcessOptions): Promise<RunningProcess> {
  return (await spawnProcessGroup(options, 'ignore')).process;
}

/**
 * `startProcess`, with stdin a pipe when asked for (a warm-start spare waits on it, see
 * `startSpareProcess`); `stdin` is undefined with `'ignore'`.
 */
export async function spawnProcessGroup(
  options: StartProcessOptions,
  stdin: 'ignore' | 'pipe',
): Promise<{ process: RunningProcess; stdin: Writable | undefined }> {
  const clock = options.clock ?? systemClock;
  const [file, ...args] = options.command;
  if (file === undefined) throw new BugError('EMPTY_COMMAND', 'A process service has an empty command.');
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    // Its own group, so a stop reaches `npm run dev`'s grandchildren too, and Ctrl-C in our
    // terminal does not hit them before we stop them in order.
    detached: true,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw new ExternalError(
      'PROCESS_START_FAILED',
      `Could not start \`${options.command.join(' ')}\` in ${options.cwd}: ${(error as Error).message}`,
      { cause: error, hint: 'Check that the command is installed and on PATH, and that `cwd` exists.' },
    );
  }
  const { pid, stdout, stderr } = child;
  if (pid === undefined) throw new BugError('NO_PID', 'A spawned process has no pid.');
  if (!stdout || !stderr) throw new BugError('NO_OUTPUT_PIPES', 'A spawned process has no output pipes.');

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const emit = (stream: OutputLine['stream'], text: string): void =>
    options.onLine({ stream, text, timestamp: clock.now() });
  // After 'spawn', 'error' only comes from our own calls on the handle; show it where the user looks.
  child.on('error', (error) => emit('stderr', `devenv: ${error.message}`));
  const drained = Promise.all([
    pipeLines(stdout, 'stdout', emit, options.maxLineLength),
    pipeLines(stderr, 'stderr', emit, options.maxLineLength),
  ]);

  const waitGone = async (deadline: number): Promise<boolean> => {
    for (;;) {
      if (hasExited && !(await isGroupAlive(pid))) return true;
      if (clock.now() >= deadline) return false;
      // The leader's exit is the usual end of a stop (a restart waits on it): look again at once
      // rather than up to a poll later; grandchildren outliving it are polled.
      const exitedMeanwhile = new AbortController();
      if (!hasExited) void exited.then(() => exitedMeanwhile.abort());
      try {
        await clock.sleep(Math.min(POLL_MS, deadline - clock.now()), exitedMeanwhile.signal);
      } catch (error) {
        if (!exitedMeanwhile.signal.aborted) throw error;
      }
    }
  };

  let stopping: Promise<ProcessExit> | undefined;
  const stop = async (graceMs: number): Promise<ProcessExit> => {
    if (signalGroup(pid, 'SIGTERM') && !(await waitGone(clock.now() + graceMs))) {
      signalGroup(pid, 'SIGKILL');
      if (!(await waitGone(clock.now() + KILL_WAIT_MS))) {
        throw new ExternalError(
          'PROCESS_GROUP_STUCK',
          `Process group ${pid} (\`${options.command.join(' ')}\`) is still running after SIGKILL.`,
          {
            hint: `Look at it with \`ps -o pid,stat,cmd -g ${pid}\`; a process in state D waits on a device.`,
          },
        );
      }
    }
    const result = await exited;
    await drainWithin(drained, clock, DRAIN_WAIT_MS, () => {
      stdout.destroy();
      stderr.destroy();
    });
    return result;
  };

  const running: RunningProcess = {
    pid,
    exited,
    stop: (graceMs) => {
      stopping ??= stop(graceMs);
      return stopping;
    },
  };
  return { process: running, stdin: child.stdin ?? undefined };
}

function pipeLines(
  stream: Readable,
  name: OutputLine['stream'],
  emit: (stream: OutputLine['stream'], text: string) => void,
  maxLineLength: number | undefined,
): Promise<void> {
  const splitter = new LineSplitter(maxLineLength);
  // A broken pipe is news for the log, not a reason to bring the supervisor down.
  stream.on('error', (error) => emit('stderr', `devenv: reading ${name} failed: ${error.message}`));
  stream.on('data', (chunk: Buffer) => {
    for (const line of splitter.push(chunk)) emit(name, line);
  });
  return new Promise((resolve) => {
    // 'close' also follows a destroy or an error, so the last partial line is never lost.
    stream.once('close', () => {
      for (const line of splitter.end()) emit(name, line);
      resolve();
    });
  });
}

async function drainWithin(
  drained: Promise<unknown>,
  clock: Clock,
  ms: number,
  giveUp: () => void,
): Promise<void> {
  const timer = new AbortController();
  const timedOut = clock.sleep(ms, timer.signal).then(
    () => true,
    () => false,
  );
  const late = await Promise.race([drained.then(() => false), timedOut]);
  timer.abort();
  if (late) giveUp();
}
