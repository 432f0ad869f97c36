import type { ResourceState } from '../events/resource-state.js';
import type { RestartPolicy } from '../model/resolved-service.js';
import type { ProcessExit } from './start-process.js';

/** The part of the shared state vocabulary a local process goes through. */
export type ProcessState = Extract<
  ResourceState,
  'pending' | 'starting' | 'ready' | 'restarting' | 'crashed' | 'stopped' | 'failed'
>;

/** A snapshot of one supervised process, emitted on every change. */
export interface ProcessStatus {
  name: string;
  state: ProcessState;
  /** Human detail: why it is restarting, how it exited, when it will be retried. */
  detail: string | undefined;
  /** The process group leader while one runs. */
  pid: number | undefined;
  /** Automatic restarts after crashes (watch-triggered restarts are not counted). */
  restarts: number;
  /** Several crashes within the crash-loop window; cleared once it is ready again. */
  crashLoop: boolean;
  lastExit: ProcessExit | undefined;
  /** On `crashed` and `failed`: the last lines of output, oldest first. */
  lastLines: readonly string[];
  /** On `ready` after `restart(reason, since)`: milliseconds from `since` (the file event) to ready. */
  reloadMs: number | undefined;
  /** When this status was entered, on the supervisor's clock. */
  at: number;
}

/** How a `restart()` ended: ready again (with the edit-to-serving time), or not. */
export type RestartOutcome =
  | { ok: true; reloadMs: number }
  | { ok: false; state: ProcessState; detail: string };

/** Whether a process that ended on its own should be started again. */
export function shouldRestart(policy: RestartPolicy, exit: ProcessExit | undefined): boolean {
  if (policy === 'always') return true;
  if (policy === 'no') return false;
  return exit?.code !== 0;
}

/** "exited with code 1", "killed by SIGSEGV". */
export function describeExit(exit: ProcessExit | undefined): string {
  if (exit === undefined) return 'could not start';
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/** "0.5s", "30s": backoff delays as users read them. */
export function formatDelay(ms: number): string {
  return ms < 10_000 ? `${Number((ms / 1000).toFixed(2))}s` : `${Math.round(ms / 1000)}s`;
}
