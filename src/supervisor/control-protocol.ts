import type { SelectionRequest } from '../config/select-entities.js';
import type { EnvironmentEvent, SerializedError } from '../events/environment-event.js';
import type { EnvironmentSnapshot } from './environment-snapshot.js';
import type { BufferedLogLine } from './log-buffer.js';

/**
 * The supervisor's socket protocol: newline-delimited JSON, one message per line. A client sends
 * requests with an `id`; the supervisor answers each with a response carrying that `id`, and, after a
 * `subscribe`, pushes every event. Versioned by `hello` so a CLI never talks to an incompatible
 * supervisor left running by an older devenv.
 */
export type ControlRequest =
  | { id: number; method: 'hello' }
  | { id: number; method: 'status' }
  /** `metrics: true` (the TUI) also samples CPU/memory every ~5 s while this client stays subscribed. */
  | { id: number; method: 'subscribe'; metrics?: boolean }
  /**
   * `select`: what this `up` adds (`devenv up api`); without it, only what earlier ones asked for.
   * `environment`: the asking shell's variables, for `${VAR}` in devenv.yaml from now on.
   */
  | { id: number; method: 'up'; select?: SelectionRequest; environment?: Record<string, string> }
  | { id: number; method: 'restart'; name: string }
  /** Builds a `build:` service's image again and replaces its container (the TUI's `b`). */
  | { id: number; method: 'rebuild'; name: string }
  | { id: number; method: 'logs'; names?: readonly string[] }
  | { id: number; method: 'shutdown' };

export interface HelloResult {
  protocol: number;
  version: string;
  pid: number;
  project: string;
  env: string;
  /** Absolute folder of the devenv.yaml the supervisor runs. */
  root: string;
}

export interface ControlResults {
  hello: HelloResult;
  status: EnvironmentSnapshot;
  subscribe: EnvironmentSnapshot;
  up: EnvironmentSnapshot;
  restart: EnvironmentSnapshot;
  rebuild: EnvironmentSnapshot;
  shutdown: null;
  logs: readonly BufferedLogLine[];
}

export type ControlResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError };

export interface ControlEventMessage {
  event: EnvironmentEvent;
}

export type ControlMessage = ControlResponse | ControlEventMessage;

export const PROTOCOL_VERSION = 1;

export function encodeMessage(message: ControlRequest | ControlMessage): string {
  return `${JSON.stringify(message)}\n`;
}
