import type { Readable, Writable } from 'node:stream';
import type { BuildFingerprint } from './build-fingerprint.js';
import type { ContainerSpec, LabelFilter, Labels } from './container-spec.js';
import type {
  EngineInfo,
  ImageConfig,
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedVolume,
} from './observed-state.js';
import type { BuildProgress, EngineEvent, ExecResult, LogLine, PullProgress } from './runtime-streams.js';

/**
 * The container engine as devenv needs it: a narrow port in devenv's own types. The Docker adapter
 * (`./docker`) is the only implementation talking to a real engine; `FakeRuntime` serves unit tests.
 *
 * Failures are `ExternalError`s with the codes in `RuntimeErrorCode`. Removal of something already gone
 * is not an error (reconcile may race with the user's own `docker rm`). Methods taking a `signal`
 * reject with `signal.reason` when aborted; streams simply end.
 */
export interface ContainerRuntime {
  /** Who the engine is; fails with ENGINE_UNREACHABLE when nothing answers. */
  ping(): Promise<EngineInfo>;

  /** Every container (running or not) carrying the labels. */
  listContainers(filter: LabelFilter): Promise<ObservedContainer[]>;
  /** Undefined when no container has that id or name. */
  inspectContainer(idOrName: string): Promise<ObservedContainer | undefined>;
  /** Creates (does not start) the container; NAME_CONFLICT if the name is taken, IMAGE_NOT_FOUND if the image is not local. */
  createContainer(spec: ContainerSpec): Promise<ObservedContainer>;
  /** PORT_BUSY when a published host port is taken (naming the holder when it can be found); the container then stays `created`. */
  startContainer(id: string): Promise<void>;
  /** Sends the stop signal, then SIGKILL after `timeoutSec`; a no-op on a stopped container. */
  stopContainer(id: string, timeoutSec?: number): Promise<void>;
  /** Sends `signal` (e.g. `SIGUSR1`) to the container's main process; a no-op on a stopped container. */
  signalContainer(id: string, signal: string): Promise<void>;
  /** Removes its anonymous volumes too, never named ones (data survives); `force` kills a running one first. */
  removeContainer(id: string, options?: { force?: boolean }): Promise<void>;

  /** Returns the network, creating it if needed; NAME_CONFLICT if one exists without these labels. */
  ensureNetwork(name: string, labels: Labels): Promise<ObservedNetwork>;
  listNetworks(filter: LabelFilter): Promise<ObservedNetwork[]>;
  removeNetwork(idOrName: string): Promise<void>;

  /** Returns the volume, creating it if needed; NAME_CONFLICT if one exists without these labels. */
  ensureVolume(name: string, labels: Labels): Promise<ObservedVolume>;
  listVolumes(filter: LabelFilter): Promise<ObservedVolume[]>;
  removeVolume(name: string): Promise<void>;

  /** Whether the image is present on the engine (no registry lookup). */
  imageExists(ref: string): Promise<boolean>;
  /** The image's ENTRYPOINT, CMD, VOLUME paths and labels; undefined when the image is not on the engine. */
  imageConfig(ref: string): Promise<ImageConfig | undefined>;
  /** Pulls through the engine, so its registry mirrors and credentials apply; IMAGE_NOT_FOUND names the ref. */
  pullImage(ref: string, options?: PullOptions): Promise<void>;
  /** Removes an image devenv built (by tag or id); a no-op when it is gone. */
  removeImage(ref: string): Promise<void>;
  /** Builds from a directory, honouring its `.dockerignore`; BUILD_FAILED carries the builder's error. */
  buildImage(options: BuildOptions): Promise<{ imageId: string }>;
  /**
   * A fingerprint of what a build would send and how (every file the build context holds after
   * `.dockerignore`, by path, size, mode and modification time; the Dockerfile, target and args), read
   * without building: equal fingerprints mean a rebuild would see the same input.
   */
  buildFingerprint(options: FingerprintOptions): Promise<BuildFingerprint>;
  /** Images carrying the labels (e.g. those devenv built for a preview). */
  listImages(filter: LabelFilter): Promise<ObservedImage[]>;

  /** The container's output as lines; with `follow`, continues until the container stops or `signal` aborts. */
  logs(id: string, options?: LogsOptions): AsyncIterable<LogLine>;
  /** Copies host files into a running container (then a restart or nothing: hot reload by `sync`). */
  copyToContainer(id: string, files: readonly CopiedFile[]): Promise<void>;
  /** Runs a command to completion and collects its output. */
  exec(id: string, cmd: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs a command wired to the caller's streams (e.g. `devenv exec db psql`). */
  execInteractive(
    id: string,
    cmd: readonly string[],
    options: InteractiveExecOptions,
  ): Promise<InteractiveExec>;
  /** Container events for objects carrying the labels, until `signal` aborts. */
  events(options: EventsOptions): AsyncIterable<EngineEvent>;
  /**
   * One cheap reading of a running container's cumulative CPU counters and current memory; undefined
   * when it is gone or not running. CPU percent comes from two readings (`cpuPercentBetween`).
   */
  stats(idOrName: string): Promise<ContainerStats | undefined>;
}

/** Cumulative counters as the engine reports them (cgroup figures). */
export interface ContainerStats {
  /** CPU time the container used since it started, in nanoseconds. */
  cpuNs: number;
  /** CPU time the whole host used (all cores), in nanoseconds; the denominator for a percentage. */
  systemCpuNs: number;
  onlineCpus: number;
  /** Memory in use, without the page cache (what `docker stats` shows). */
  memoryBytes: number;
}

/** Percent of one core between two readings of the same container (`docker stats` computes the same). */
export function cpuPercentBetween(previous: ContainerStats, next: ContainerStats): number {
  const cpu = next.cpuNs - previous.cpuNs;
  const system = next.systemCpuNs - previous.systemCpuNs;
  if (cpu <= 0 || system <= 0) return 0;
  return (cpu / system) * next.onlineCpus * 100;
}

/** One file for `copyToContainer`. */
export interface CopiedFile {
  /** Absolute path on the host. */
  source: string;
  /** Absolute path inside the container; parent folders are created. */
  destination: string;
}

export interface PullOptions {
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

export interface BuildOptions {
  /** Directory sent to the engine, filtered by its `.dockerignore`. */
  context: string;
  /** Relative to `context`. @default 'Dockerfile' */
  dockerfile?: string;
  /**
   * The Dockerfile's text, when devenv generates it (previews of `run:` services): sent in the build
   * context under `dockerfile`'s name, so the user's folder is never written to.
   */
  dockerfileContents?: string;
  /** `.dockerignore` rules applied before the folder's own (which can re-include with `!`), e.g. `.git`. */
  ignore?: readonly string[];
  /** Multi-stage target. */
  target?: string;
  buildArgs?: Readonly<Record<string, string>>;
  /** Name given to the result, e.g. `devenv-shop-main-api:latest`. */
  tag: string;
  labels?: Labels;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
}

export type FingerprintOptions = Pick<
  BuildOptions,
  'context' | 'dockerfile' | 'dockerfileContents' | 'ignore' | 'target' | 'buildArgs' | 'tag'
> & {
  /** Files of the context that do not count (relative, POSIX): devenv.yaml and its .env layers. */
  skip?: readonly string[];
};

export interface LogsOptions {
  /** Keep streaming new lines. @default false */
  follow?: boolean;
  /** Only lines after this instant. */
  since?: Date;
  /** Only the last N lines of the existing output. @default all */
  tail?: number;
  signal?: AbortSignal;
}

export interface ExecOptions {
  env?: Readonly<Record<string, string>>;
  workingDir?: string;
  user?: string;
  /** Written to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
  /** Merge stdout and stderr through a terminal. @default false */
  tty?: boolean;
  signal?: AbortSignal;
}

export interface InteractiveExecOptions {
  env?: Readonly<Record<string, string>>;
  workingDir?: string;
  user?: string;
  /** Allocate a terminal (when the user's stdin is one). */
  tty: boolean;
  /** Initial terminal size, when `tty`. */
  size?: TerminalSize;
  stdin?: Readable;
  stdout: Writable;
  /** Unused with a TTY (the terminal merges both streams). */
  stderr: Writable;
  signal?: AbortSignal;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** A running interactive command. */
export interface InteractiveExec {
  /** Follows the user's terminal size (call on SIGWINCH). */
  resize(size: TerminalSize): Promise<void>;
  /** Resolves with the command's exit code once its output has been fully written. */
  exited: Promise<number>;
}

export interface EventsOptions {
  filter: LabelFilter;
  /** Replay events from this instant (to not miss what happened between a listing and the subscription). */
  since?: Date;
  signal: AbortSignal;
}
