import type { Readiness } from '../model/readiness.js';

/**
 * How a throwaway container is known to be ready, as plain data: devenv's readiness mapped onto the
 * meaning of testcontainers' wait strategies (`to-wait-strategy.ts` builds them; commands, ports and
 * HTTP with devenv's abortable `PollingWait`). Kept pure so the mapping is tested without an engine.
 */
export type WaitPlan =
  /** `Wait.forSuccessfulCommand`: runs under `/bin/sh -c` in the container until it exits 0. */
  | { kind: 'command'; shell: string }
  /** `Wait.forListeningPorts`: every published TCP port accepts connections, from the host and inside. */
  | { kind: 'ports' }
  /** `Wait.forHttp` on a container port; `status: undefined` accepts any 2xx or 3xx, as devenv does. */
  | { kind: 'http'; path: string; port: number; status: number | undefined }
  /** `Wait.forLogMessage` with this regular expression source. */
  | { kind: 'log'; pattern: string }
  /** Nothing to wait for: ready once it runs (`Wait.forAll([])`). */
  | { kind: 'running' };

export interface WaitSpec {
  plan: WaitPlan;
  timeoutMs: number;
}

/** What a dependency without `ready:` waits for, when it also publishes no port. */
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * devenv readiness → wait plan. Without `ready:`, `devenv up` counts a running container as ready; a
 * test would then race the server's start, so a dependency with ports waits for them to listen
 * (testcontainers' own default) and only one without ports is ready once it runs.
 */
export function waitSpecFor(readiness: Readiness | undefined, publishesPorts: boolean): WaitSpec {
  if (readiness === undefined)
    return { plan: publishesPorts ? { kind: 'ports' } : { kind: 'running' }, timeoutMs: DEFAULT_TIMEOUT_MS };
  const { probe, timeoutMs } = readiness;
  switch (probe.kind) {
    case 'command':
      return { plan: { kind: 'command', shell: shellCommand(probe.command) }, timeoutMs };
    case 'tcp':
      return { plan: { kind: 'ports' }, timeoutMs };
    case 'http':
      return { plan: { kind: 'http', path: probe.path, port: probe.port, status: probe.status }, timeoutMs };
    case 'log':
      return { plan: { kind: 'log', pattern: probe.pattern }, timeoutMs };
  }
}

/**
 * The one shell line testcontainers runs. devenv.yaml's string form arrives as `['sh', '-c', line]` and
 * is given back as written (so `$POSTGRES_USER` expands in the container, as with `devenv up`); an
 * argv is quoted word by word.
 */
export function shellCommand(argv: readonly string[]): string {
  const [first, flag, line, ...rest] = argv;
  if ((first === 'sh' || first === '/bin/sh') && flag === '-c' && line !== undefined && rest.length === 0)
    return line;
  return argv.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** For messages: what was waited for. */
export function describeWait(plan: WaitPlan): string {
  switch (plan.kind) {
    case 'command':
      return `the command \`${plan.shell}\` to succeed`;
    case 'ports':
      return 'its published ports to accept connections';
    case 'http':
      return `HTTP ${plan.path} on port ${plan.port} to answer ${plan.status ?? '2xx or 3xx'}`;
    case 'log':
      return `a log line matching /${plan.pattern}/`;
    case 'running':
      return 'it to run';
  }
}
