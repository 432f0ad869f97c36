import type { Labels } from './container-spec.js';
import type { ContainerHealth } from './observed-state.js';

/**
 * Where a pull stands, per layer when `layer` is set (otherwise about the image as a whole).
 * `phase` is a small vocabulary for displays; `status` keeps the engine's own wording.
 */
export interface PullProgress {
  ref: string;
  /** Short layer id, e.g. `a2abf6c4d29d`. */
  layer: string | undefined;
  phase: 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'done' | 'exists' | 'info';
  status: string;
  /** Bytes done so far in the current phase, when the engine says. */
  current: number | undefined;
  /** Layer size in bytes, when the engine says. */
  total: number | undefined;
}

/** A build's output: a line of builder output, or a pull of a base image. */
export type BuildProgress = { kind: 'output'; text: string } | ({ kind: 'pull' } & PullProgress);

/** One line of a container's output, without its newline. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** When the engine received the line. */
  timestamp: Date;
}

/** The outcome of a command run to completion inside a container. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  /** Empty when the command ran with a TTY (the engine merges both streams then). */
  stderr: string;
}

/** Something that happened to a container, pushed by the engine. */
export interface EngineEvent {
  type: 'container';
  /** The engine's verb: `create`, `start`, `die`, `stop`, `kill`, `destroy`, `health_status`, `oom`, … */
  action: string;
  id: string;
  name: string;
  labels: Labels;
  /** For `die`. */
  exitCode: number | undefined;
  /** For `health_status`. */
  health: ContainerHealth | undefined;
  time: Date;
}
