/**
 * How the engine decides a dependency or service is ready. Ports are already resolved to numbers:
 * container ports for containers, the host port for local processes.
 */
export type ReadinessProbe =
  | {
      kind: 'command';
      /** argv; a shell string from devenv.yaml arrives as `['sh', '-c', string]`. Runs inside the container, or on the host for processes. */
      command: readonly string[];
    }
  | { kind: 'tcp'; port: number }
  | {
      kind: 'http';
      path: string;
      port: number;
      /** Exact status expected; `undefined` accepts any 2xx or 3xx. */
      status: number | undefined;
    }
  | {
      kind: 'log';
      /** Matched against each log line; built from the text (escaped) or from `/regex/`. Stored as source so the model stays plain data. */
      pattern: string;
    };

export interface Readiness {
  probe: ReadinessProbe;
  /** Milliseconds between attempts. @default 1000 */
  intervalMs: number;
  /** Milliseconds after which the engine gives up and reports the last failure. @default 60000 */
  timeoutMs: number;
}
