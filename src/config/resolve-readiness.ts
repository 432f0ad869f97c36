import type { Readiness, ReadinessProbe } from '../model/readiness.js';
import type { ResolvedPort } from '../model/resolved-port.js';
import { durationMs } from './duration.js';
import { commandArgv, type ResolveContext } from './resolve-context.js';
import type { DependencyConfig } from './schema/dependency-schema.js';

type ReadyConfig = NonNullable<DependencyConfig['ready']>;

/**
 * Resolves port names to numbers: container ports for containers, the host port for local processes
 * (whose container port equals it). HTTP probes default to the primary port.
 */
export function resolveReadiness(
  context: ResolveContext,
  path: PropertyKey[],
  ready: ReadyConfig | undefined,
  ports: readonly ResolvedPort[],
): Readiness | undefined {
  if (!ready) return undefined;
  const port = (ref: number | string | undefined): number => {
    if (typeof ref === 'number') return ref;
    const found = ref === undefined ? ports[0] : ports.find((p) => p.name === ref);
    return found?.container ?? 0;
  };
  let probe: ReadinessProbe;
  if (ready.command !== undefined)
    probe = { kind: 'command', command: commandArgv(context, [...path, 'command'], ready.command) };
  else if (ready.tcp !== undefined) probe = { kind: 'tcp', port: port(ready.tcp) };
  else if (ready.http !== undefined) {
    const http =
      typeof ready.http === 'string' ? { path: ready.http, port: undefined, status: undefined } : ready.http;
    probe = { kind: 'http', path: http.path, port: port(http.port), status: http.status };
  } else probe = { kind: 'log', pattern: logPattern(ready.log ?? '') };
  return { probe, intervalMs: durationMs(ready.interval), timeoutMs: durationMs(ready.timeout) };
}

/** `/regex/` is used as written; plain text matches literally. */
function logPattern(text: string): string {
  const regex = /^\/(.+)\/$/.exec(text);
  return regex?.[1] ?? text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
