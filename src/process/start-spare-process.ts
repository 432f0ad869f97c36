import { fileURLToPath } from 'node:url';
import { BugError } from '../errors/devenv-error.js';
import { systemClock } from '../util/clock.js';
import {
  type OutputLine,
  type RunningProcess,
  type StartProcessOptions,
  spawnProcessGroup,
} from './start-process.js';
import { warmStartEnv } from './warm-start-env.js';

/** What a process is started with; a spare stands in for a new process only when all of it is equal. */
export type Launch = Pick<StartProcessOptions, 'command' | 'cwd' | 'env'>;

/**
 * A warm-start spare: the service's command started ahead of a restart with a preload that pauses Node
 * before the service's code (`warm-start-preload.cjs`). It runs none of the service's code until `go`.
 */
export interface SpareProcess extends RunningProcess {
  /** What it was started with, before the warm-start additions to its environment. */
  readonly launch: Launch;
  /**
   * Lets it go on and load the service's code from disk, as the service's new process: its output so
   * far (normally none) and from now on goes to `onLine`; its stdin then reads EOF, as /dev/null would.
   */
  go(onLine: (line: OutputLine) => void): void;
}

export type StartSpareOptions = Omit<StartProcessOptions, 'onLine'>;

/** Shipped beside this module: `npm run build` copies it into dist/process. */
const PRELOAD_PATH = fileURLToPath(new URL('./warm-start-preload.cjs', import.meta.url));
/** Output a spare prints before it is let go (Node's own warnings, at most) is kept for its run's log. */
const HELD_LINES = 100;
/** Any byte lets it go; the preload reads exactly one. */
const GO_BYTE = Buffer.from('\n');

/** Starts a spare for `options` (see `SpareProcess`); rejects like `startProcess`. */
export async function startSpareProcess(options: StartSpareOptions): Promise<SpareProcess> {
  const held: OutputLine[] = [];
  let sink: ((line: OutputLine) => void) | undefined;
  const { process: running, stdin } = await spawnProcessGroup(
    {
      ...options,
      env: warmStartEnv(options.env, PRELOAD_PATH),
      onLine: (line) => {
        if (sink) sink(line);
        else if (held.length < HELD_LINES) held.push(line);
      },
    },
    'pipe',
  );
  if (!stdin) throw new BugError('NO_STDIN', 'A spare process was started without a stdin pipe.');
  // Only a write after it died fails (EPIPE); its exit, reported as the run's end, says the rest.
  const clock = options.clock ?? systemClock;
  stdin.on('error', (error) =>
    sink?.({ stream: 'stderr', text: `devenv: ${error.message}`, timestamp: clock.now() }),
  );
  return {
    ...running,
    launch: { command: options.command, cwd: options.cwd, env: options.env },
    go: (onLine) => {
      for (const line of held.splice(0)) onLine(line);
      sink = onLine;
      stdin.end(GO_BYTE);
    },
  };
}

/** Whether a spare started for `spare` can stand in for a process started for `wanted`. */
export function sameLaunch(spare: Launch, wanted: Launch): boolean {
  const spareEnv = Object.entries(spare.env);
  return (
    spare.cwd === wanted.cwd &&
    spare.command.length === wanted.command.length &&
    spare.command.every((arg, i) => arg === wanted.command[i]) &&
    spareEnv.length === Object.keys(wanted.env).length &&
    spareEnv.every(([key, value]) => Object.hasOwn(wanted.env, key) && wanted.env[key] === value)
  );
}
