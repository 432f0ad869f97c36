import { ExternalError } from '../errors/devenv-error.js';
import type { Readiness } from '../model/readiness.js';
import type { ResolvedPort } from '../model/resolved-port.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { BoundPort } from '../runtime/observed-state.js';
import type { Clock } from '../util/clock.js';
import { probeDelay } from '../util/probe-delay.js';
import { describeProbe } from './describe-probe.js';
import { probeOnce } from './probe-once.js';

export interface WaitReadyOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  name: string;
  containerId: string;
  readiness: Readiness | undefined;
  ports: readonly ResolvedPort[];
  signal: AbortSignal;
  /** Where the current run of its process began, when not at the container's start (a restart in place). */
  since?: Date;
  /**
   * The first pause between attempts, growing 1.5× up to the interval. A reload's server is usually up
   * within ~100 ms, so reloads probe at 10, 25, 48, 82 ms…; a start from nothing (a database) waits
   * longer between its first attempts. @default 50, growing 2×
   */
  firstDelayMs?: number;
  /** Called before each attempt with what is awaited and for how long it has been, for progress. */
  onWaiting?: (detail: string) => void;
  /** What a failure's hint tells the user to do; @default LOCAL_READINESS_HINTS */
  hints?: ReadinessHints;
}

/** The hints of a readiness failure: what to read and run next, which differs between `up` and previews. */
export interface ReadinessHints {
  exited(name: string): string;
  timedOut(name: string): string;
}

/** The hints for a container whose output stays readable with `logs(name)` and that `again` retries. */
export function readinessHints(logs: (name: string) => string, again: string): ReadinessHints {
  return {
    exited: (name) => `Read its output with \`${logs(name)}\`, fix the cause, then run \`${again}\` again.`,
    timedOut: (name) =>
      `Raise its readiness timeout in devenv.yaml if it is just slow, or see \`${logs(name)}\`.`,
  };
}

const LOCAL_READINESS_HINTS = readinessHints((name) => `devenv logs ${name}`, 'devenv up');

/** How many of the container's last lines a failure shows. */
/** How many of a container's last lines a failure shows. */
export const LAST_LINES = 15;

/**
 * Resolves once the container passes its readiness probe (or simply runs, when it has none).
 * Fails fast when the container exits, and after the timeout with what was checked and the last
 * log lines, naming the dependency.
 */
export async function waitReady(options: WaitReadyOptions): Promise<void> {
  const { runtime, clock, name, containerId, readiness, signal } = options;
  const hints = options.hints ?? LOCAL_READINESS_HINTS;
  const started = clock.now();
  let lastDetail = 'not checked yet';
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    const container = await runtime.inspectContainer(containerId);
    if (container === undefined || container.state === 'exited' || container.state === 'dead') {
      const code = container?.exitCode;
      const lines = await readLastLines(runtime, containerId);
      throw new ExternalError(
        'CONTAINER_EXITED',
        `${name} exited${code === undefined ? '' : ` with code ${code}`} before it was ready.${lastLinesText(name, lines)}`,
        { hint: hints.exited(name), lastLines: lines },
      );
    }
    if (readiness === undefined) return;

    const waited = clock.now() - started;
    options.onWaiting?.(`waiting for ${describeProbe(readiness.probe)} (${Math.round(waited / 1000)}s)`);
    const result = await probeOnce(readiness.probe, {
      runtime,
      containerId,
      ports: withBoundPorts(options.ports, container.ports),
      startedAt: options.since ?? container.startedAt ?? new Date(0),
      signal,
    });
    if (result.ready) return;
    lastDetail = result.detail;

    if (clock.now() - started >= readiness.timeoutMs) {
      const lines = await readLastLines(runtime, containerId);
      throw new ExternalError(
        'READINESS_TIMEOUT',
        `${name} was not ready after ${Math.round(readiness.timeoutMs / 1000)}s: checked ${describeProbe(readiness.probe)}, last result: ${lastDetail}.${lastLinesText(name, lines)}`,
        { hint: hints.timedOut(name), lastLines: lines },
      );
    }
    const delay =
      options.firstDelayMs === undefined
        ? probeDelay(attempt, readiness.intervalMs)
        : probeDelay(attempt, readiness.intervalMs, options.firstDelayMs, 1.5);
    await clock.sleep(delay, signal);
  }
}

/**
 * A port published on an engine-chosen host port (`host: 0`, as previews do) is probed where the
 * engine actually bound it.
 */
function withBoundPorts(ports: readonly ResolvedPort[], bound: readonly BoundPort[]): ResolvedPort[] {
  return ports.map((port) => {
    if (port.host !== 0) return port;
    const match = bound.find((candidate) => candidate.container === port.container);
    return match === undefined ? port : { ...port, host: match.host };
  });
}

/** The container's last lines; none when it is gone already. */
async function readLastLines(runtime: ContainerRuntime, containerId: string): Promise<string[]> {
  const lines: string[] = [];
  try {
    for await (const line of runtime.logs(containerId, { tail: LAST_LINES })) lines.push(line.text);
  } catch {
    // The container may be gone already; the error being reported matters more than its output.
    return [];
  }
  return lines;
}

/** The container's last lines, indented, for an error message; empty when there are none. */
export function lastLinesText(name: string, lines: readonly string[]): string {
  return lines.length === 0
    ? ''
    : `\nLast lines of ${name}:\n${lines.map((line) => `  │ ${line}`).join('\n')}`;
}
