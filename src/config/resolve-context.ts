import type { ConfigProblem } from '../errors/config-error.js';
import type { ResolvedPort } from '../model/resolved-port.js';
import type { EffectiveDependency } from './effective-dependency.js';
import { interpolate } from './interpolate.js';
import type { LoadedConfig } from './loaded-config.js';
import type { SecretResolver } from './secret-resolver.js';

/** Shared, read-mostly state of one resolution; `problems` collects everything found on the way. */
export interface ResolveContext {
  loaded: LoadedConfig;
  project: string;
  env: string;
  dependencies: ReadonlyMap<string, EffectiveDependency>;
  /** `${VAR}` values: the environment over the .env layers. */
  vars: ReadonlyMap<string, string>;
  /** Host ports of every entity (selected or not, so references to unselected services still resolve). */
  ports: ReadonlyMap<string, readonly ResolvedPort[]>;
  /** Env overrides for previews, by entity name. */
  envOverrides: Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;
  /**
   * Every service runs in a container on the environment's network (previews): `run:` services are
   * not on the host, so references to and from them use network names and container ports.
   */
  containerised?: boolean;
  /** False: secrets are not read (placeholders), for commands that only need names, ports and URLs. */
  readSecrets: boolean;
  resolveSecret: SecretResolver;
  homeDir: string | undefined;
  problems: ConfigProblem[];
}

export function report(
  context: ResolveContext,
  path: readonly PropertyKey[],
  message: string,
  hint?: string,
): void {
  context.problems.push({
    file: context.loaded.file,
    ...context.loaded.locate(path),
    message,
    ...(hint ? { hint } : {}),
  });
}

/** `${VAR}` interpolation of a field that cannot hold references; reports and returns '' on failure. */
export function interpolateField(
  context: ResolveContext,
  path: readonly PropertyKey[],
  value: string,
): string {
  const result = interpolate(value, { vars: context.vars });
  if (result.ok) return result.value;
  report(context, path, `${dotted(path)}: ${result.message}`, result.hint);
  return '';
}

/** A command as argv: strings go through `sh -c`, lists are taken as written. */
export function commandArgv(
  context: ResolveContext,
  path: readonly PropertyKey[],
  command: string | readonly string[],
): string[] {
  if (typeof command === 'string') return ['sh', '-c', interpolateField(context, path, command)];
  return command.map((item, index) => interpolateField(context, [...path, index], item));
}

export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
