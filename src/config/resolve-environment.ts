import { resolve as resolvePath } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors/config-error.js';
import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedEnvironment, ResolvedPreview, ResolvedSeed } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import type { ResolvedService } from '../model/resolved-service.js';
import { environmentName, previewEnvironmentName } from '../naming/environment-name.js';
import { networkName } from '../naming/resource-names.js';
import { assignHostPorts, type PortRequest } from './assign-host-ports.js';
import { buildDependency, buildService } from './build-entities.js';
import { durationMs } from './duration.js';
import { type EffectiveDependency, effectiveDependency } from './effective-dependency.js';
import { entityGraph, startOrder } from './entity-graph.js';
import { type EnvFileText, parseEnvFile } from './env-file.js';
import type { PresetCatalog } from './load-presets.js';
import type { LoadedConfig } from './loaded-config.js';
import { commandArgv, type ResolveContext } from './resolve-context.js';
import { createEnvResolver } from './resolve-env.js';
import type { SecretResolver } from './secret-resolver.js';
import { type Selection, selectEntities } from './select-entities.js';

export interface ResolveInput {
  /** A checked devenv.yaml (`loadConfig` / `validateConfigText`). */
  config: LoadedConfig;
  presets: PresetCatalog;
  /** .env files that exist, lowest precedence first (see `envFileNames`). */
  envFiles?: readonly EnvFileText[];
  /** The environment devenv runs in; it wins over .env files for `${VAR}`. */
  environment: Readonly<Record<string, string | undefined>>;
  /** Branch for a branch environment; `undefined` is the default environment. */
  branch?: string | undefined;
  /** Resolve for a preview: preview selection, env overrides and settings apply. */
  preview?: boolean;
  select?: Selection;
  /** Replacements for derived host ports the engine found busy. */
  hostPortOverrides?: HostPortOverrides;
  /** Host ports that win over every other source, fixed ones included (`devenv/testing`). */
  exactHostPorts?: HostPortOverrides;
  /** Reads `file` and `command` secrets; `env` secrets are read from `environment` and .env files. */
  resolveSecret: SecretResolver;
  /** False: every secret is a placeholder, read from nowhere (commands that need no values). Default true. */
  readSecrets?: boolean;
}

/**
 * devenv.yaml (+ presets, .env files, environment, branch) → the environment the engine runs.
 * Pure: no I/O except through `resolveSecret`. Throws a ConfigError carrying every problem found
 * (unset variables, unresolvable secrets, .env syntax), each located in its file.
 */
export function resolveEnvironment(input: ResolveInput): ResolvedEnvironment {
  const { config: loaded, presets } = input;
  const { config } = loaded;
  const problems: ConfigProblem[] = [];
  const vars = new Map<string, string>();
  for (const envFile of input.envFiles ?? []) {
    const parsed = parseEnvFile(envFile);
    problems.push(...parsed.problems);
    for (const [key, value] of parsed.vars) vars.set(key, value);
  }
  for (const [key, value] of Object.entries(input.environment)) if (value !== undefined) vars.set(key, value);

  const project = loaded.project;
  const preview = input.preview === true;
  // A preview is its own environment on the engine, never the branch's local one.
  const env =
    preview && input.branch !== undefined
      ? previewEnvironmentName(input.branch)
      : environmentName(input.branch);
  const dependencies = new Map(
    Object.entries(config.dependencies).map(([name, d]) => [name, effectiveDependency(d, presets)]),
  );
  const context: ResolveContext = {
    loaded,
    project,
    env,
    dependencies,
    vars,
    ports: assignHostPorts(portRequests(loaded, dependencies), {
      project,
      env,
      overrides: input.hostPortOverrides,
      exact: input.exactHostPorts,
    }),
    envOverrides: preview ? (config.preview?.env ?? {}) : {},
    containerised: preview,
    resolveSecret: input.resolveSecret,
    readSecrets: input.readSecrets ?? true,
    homeDir: input.environment.HOME,
    problems,
  };

  const graph = entityGraph(config);
  const selected = selectEntities(config, graph, input.select ?? {}, { preview, file: loaded.file });
  problems.push(...selected.problems);
  const order = startOrder(graph, [
    ...Object.keys(config.dependencies),
    ...Object.keys(config.services),
  ]).filter((name) => selected.names.has(name));

  const envs = createEnvResolver(context);
  const resolvedDependencies: ResolvedDependency[] = [];
  const resolvedServices: ResolvedService[] = [];
  for (const name of order) {
    const edges = graph.get(name) ?? [];
    if (dependencies.has(name)) {
      const dependency = buildDependency(context, name, edges, envs);
      if (dependency) resolvedDependencies.push(dependency);
    } else {
      const service = buildService(context, name, edges, envs);
      if (service) resolvedServices.push(service);
    }
  }
  const previewSettings = preview ? resolvePreview(context, envs.secret) : undefined;

  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return {
    project,
    env,
    branch: input.branch,
    preview: previewSettings,
    projectDir: loaded.projectDir,
    configFile: loaded.path,
    envFiles: config.env_files,
    network: networkName(project, env),
    labels: { 'devenv.project': project, 'devenv.env': env },
    dependencies: resolvedDependencies,
    services: resolvedServices,
    startOrder: order,
  };
}

function portRequests(
  loaded: LoadedConfig,
  dependencies: ReadonlyMap<string, EffectiveDependency>,
): PortRequest[] {
  const requests: PortRequest[] = [];
  for (const [entity, dependency] of dependencies) {
    for (const [name, spec] of Object.entries(dependency.ports)) {
      requests.push(
        typeof spec === 'number'
          ? { entity, name, container: spec, fixedHost: undefined, protocol: 'tcp' }
          : { entity, name, container: spec.container, fixedHost: spec.host, protocol: spec.protocol },
      );
    }
  }
  for (const [entity, service] of Object.entries(loaded.config.services)) {
    const port = service.port;
    if (port === undefined) continue;
    const base = { entity, name: 'main', protocol: 'tcp' as const };
    if (port === 'auto') requests.push({ ...base, container: undefined, fixedHost: undefined });
    else if (typeof port === 'object')
      requests.push({ ...base, container: port.container, fixedHost: port.host });
    else if (service.run !== undefined) requests.push({ ...base, container: port, fixedHost: port });
    else requests.push({ ...base, container: port, fixedHost: undefined });
  }
  return requests;
}

function resolvePreview(
  context: ResolveContext,
  secret: ReturnType<typeof createEnvResolver>['secret'],
): ResolvedPreview {
  const settings = context.loaded.config.preview;
  let basicAuth: string | undefined;
  if (settings?.access === 'basic' && settings.basic_auth !== undefined) {
    const result = secret(settings.basic_auth);
    // '' is what commands that do not read secrets (`preview url`) get for a file or command secret;
    // a real empty value can never match a header (no `:`), so it fails closed at the gateway.
    if (result.ok && (result.value === '' || result.value.includes(':'))) basicAuth = result.value;
    else if (result.ok)
      // The value itself stays out of the message: it is a password.
      context.problems.push({
        file: context.loaded.file,
        ...context.loaded.locate(['preview', 'basic_auth']),
        message: `secret \`${settings.basic_auth}\` must hold \`user:password\` (no \`:\` found)`,
      });
    else
      context.problems.push({
        file: context.loaded.file,
        ...context.loaded.locate(['preview', 'basic_auth']),
        message: result.message,
        ...(result.hint ? { hint: result.hint } : {}),
      });
  }
  return {
    ttlMs: durationMs(settings?.ttl ?? '72h'),
    access: settings?.access ?? 'token',
    basicAuth,
    domain: settings?.domain,
    publicPaths: settings?.public_paths ?? [],
    idleSleepMs: settings?.idle_sleep === undefined ? undefined : durationMs(settings.idle_sleep),
    seed: resolveSeed(context),
    snapshot: settings?.snapshot,
  };
}

function resolveSeed(context: ResolveContext): ResolvedSeed | undefined {
  const seed = context.loaded.config.preview?.seed;
  if (seed === undefined) return undefined;
  const path = ['preview', 'seed'];
  const problem = (message: string, hint?: string): undefined => {
    context.problems.push({
      file: context.loaded.file,
      ...context.loaded.locate(path),
      message,
      ...(hint ? { hint } : {}),
    });
    return undefined;
  };
  const target = seed.service ?? seed.dependency;
  if (target === undefined || (seed.service !== undefined && seed.dependency !== undefined))
    return problem('preview.seed needs exactly one of `service` or `dependency`');
  const known =
    seed.service !== undefined
      ? context.loaded.config.services[target] !== undefined
      : context.dependencies.has(target);
  if (!known) return problem(`preview.seed names \`${target}\`, which devenv.yaml does not define`);
  if (seed.sql !== undefined) {
    if (seed.dependency === undefined || seed.command !== undefined)
      return problem('preview.seed.sql goes with a `dependency` and no `command`');
    return { kind: 'sql', target, file: resolvePath(context.loaded.projectDir, seed.sql) };
  }
  if (seed.command === undefined)
    return problem('preview.seed needs a `command` (or `sql` for a dependency)');
  return { kind: 'command', target, command: commandArgv(context, [...path, 'command'], seed.command) };
}

/** A value read by several entities fails once per place it is written, not once per reader. */
function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file}:${problem.line}:${problem.col}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
