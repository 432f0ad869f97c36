import type { ResourceKind, ResourceState } from './resource-state.js';

/** A published port as the user reaches it from the host. */
export interface PortBinding {
  container: number;
  host: number;
  hostIp: string;
  protocol: 'tcp' | 'udp';
}

/** An error as it crosses the socket: enough for the CLI to render it exactly as if thrown locally. */
export interface SerializedError {
  kind: 'usage' | 'config' | 'external' | 'bug' | 'interrupted';
  code: string;
  message: string;
  hint?: string;
}

interface EventBase {
  /** Milliseconds since the epoch, from the supervisor's injected clock. */
  at: number;
}

/**
 * Everything that happens to an environment, as a closed union: the store reduces these into a
 * snapshot, the plain and JSON views print them, the TUI projects the snapshot. One JSON object per
 * event is the documented `--json` stream.
 */
export type EnvironmentEvent =
  | (EventBase & { type: 'plan'; steps: readonly string[] })
  | (EventBase & {
      type: 'resource';
      name: string;
      kind: ResourceKind;
      state: ResourceState;
      /** Human detail: what is awaited, why it failed, the exit code. */
      detail?: string;
      ports?: readonly PortBinding[];
      /** The last lines of output when the state is `failed` or `crashed`. */
      lastLines?: readonly string[];
      /** Automatic restarts so far, when the source counts them itself (local processes). */
      restarts?: number;
      /** On `ready` after a reload: milliseconds from the file event to ready again (edit-to-serving). */
      reloadMs?: number;
      /** On `stopped`: a one-shot task (a migration) that ended with exit code 0, which is all it should do. */
      completed?: boolean;
    })
  | (EventBase & {
      type: 'log';
      name: string;
      stream: 'stdout' | 'stderr';
      text: string;
    })
  | (EventBase & {
      type: 'pull-progress';
      name: string;
      image: string;
      /** Bytes done / total over all layers seen so far; layers counted as they finish. */
      currentBytes: number;
      totalBytes: number;
      layersDone: number;
      layersTotal: number;
    })
  | (EventBase & {
      type: 'environment';
      state: 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';
      detail?: string;
    })
  | (EventBase & {
      type: 'removed';
      /** Dependencies/services that are no longer in devenv.yaml: gone from the environment and its status. */
      names: readonly string[];
    })
  | (EventBase & { type: 'error'; error: SerializedError })
  | (EventBase & {
      type: 'metrics';
      /**
       * CPU and memory per running dependency/service, sampled every ~5 s and only while a client asked
       * for them (`subscribe` with `metrics: true`, i.e. the TUI): sampling is never paid for when idle.
       */
      usage: readonly ResourceUsage[];
    });

/** One resource's usage: containers from the engine, local processes summed over their process tree. */
export interface ResourceUsage {
  name: string;
  /** Percent of one core (200 = two cores busy). */
  cpuPercent: number;
  memoryBytes: number;
}
