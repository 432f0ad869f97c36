import { posix, relative, resolve, sep } from 'node:path';
import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedDependsOn, ResolvedVolume } from '../model/resolved-entity.js';
import type { ResolvedService, ServiceRuntime } from '../model/resolved-service.js';
import type { ResolvedWatchRule } from '../model/resolved-watch-rule.js';
import { containerName, volumeName } from '../naming/resource-names.js';
import { isInside } from '../util/is-inside.js';
import { configHash } from './config-hash.js';
import type { Edge } from './entity-graph.js';
import { envFileNames } from './env-file.js';
import { commandArgv, interpolateField, type ResolveContext } from './resolve-context.js';
import type { createEnvResolver } from './resolve-env.js';
import { resolveReadiness } from './resolve-readiness.js';
import type { ServiceConfig } from './schema/service-schema.js';

type EnvResolver = ReturnType<typeof createEnvResolver>;

/** Always ignored by watchers: never useful triggers, and huge. */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

export function buildDependency(
  context: ResolveContext,
  name: string,
  edges: readonly Edge[],
  envs: EnvResolver,
): ResolvedDependency | undefined {
  const dependency = context.dependencies.get(name);
  const env = envs.envOf(name);
  if (!dependency || !env) return undefined;
  const path = ['dependencies', name];
  const ports = context.ports.get(name) ?? [];
  const image = interpolateField(
    context,
    [...path, dependency.preset ? 'version' : 'image'],
    dependency.image ?? '',
  );
  const command =
    dependency.command === undefined
      ? undefined
      : commandArgv(context, [...path, 'command'], dependency.command);
  const volumes = resolveVolumes(context, name, dependency.volumes);
  const hash = configHash({ image, command, env: env.values, ports, volumes });
  return {
    kind: 'dependency',
    name,
    preset: dependency.preset?.name,
    image,
    containerName: containerName(context.project, context.env, name),
    command,
    volumes,
    restart: 'unless-stopped',
    labels: labels(context, name, 'dependency', hash),
    configHash: hash,
    ports,
    env,
    outputs: envs.resolvedOutputs(name),
    dependsOn: dependsOn(context, edges),
    readiness: resolveReadiness(context, [...path, 'ready'], dependency.ready, ports),
  };
}

export function buildService(
  context: ResolveContext,
  name: string,
  edges: readonly Edge[],
  envs: EnvResolver,
): ResolvedService | undefined {
  const service = context.loaded.config.services[name];
  const env = envs.envOf(name);
  if (!service || !env) return undefined;
  const path = ['services', name];
  const ports = context.ports.get(name) ?? [];
  const runtime = resolveRuntime(context, name, service);
  const hash = configHash({ runtime, env: env.values, ports, restart: service.restart });
  return {
    kind: 'service',
    name,
    runtime,
    port: ports[0]?.container,
    watch: service.watch.map((rule, index) => resolveWatchRule(context, [...path, 'watch', index], rule)),
    restart: service.restart,
    labels: labels(context, name, 'service', hash),
    configHash: hash,
    ports,
    env,
    outputs: envs.resolvedOutputs(name),
    dependsOn: dependsOn(context, edges),
    readiness: resolveReadiness(context, [...path, 'ready'], service.ready, ports),
  };
}

function resolveRuntime(context: ResolveContext, name: string, service: ServiceConfig): ServiceRuntime {
  const path = ['services', name];
  const dir = context.loaded.projectDir;
  if (service.run !== undefined) {
    const cwd =
      service.cwd === undefined
        ? dir
        : resolve(dir, interpolateField(context, [...path, 'cwd'], service.cwd));
    return {
      kind: 'process',
      command: commandArgv(context, [...path, 'run'], service.run),
      cwd,
      warmStart: service.warm_start ?? true,
    };
  }
  const command =
    service.command === undefined ? undefined : commandArgv(context, [...path, 'command'], service.command);
  const base = {
    kind: 'container' as const,
    containerName: containerName(context.project, context.env, name),
    command,
    volumes: resolveVolumes(context, name, service.volumes ?? {}),
  };
  if (service.image !== undefined) {
    return {
      ...base,
      source: { kind: 'image', image: interpolateField(context, [...path, 'image'], service.image) },
    };
  }
  const build =
    typeof service.build === 'string' ? { context: service.build } : (service.build ?? { context: '.' });
  const field = (key: string, value: string) => interpolateField(context, [...path, 'build', key], value);
  const buildContext = resolve(dir, field('context', build.context));
  return {
    ...base,
    source: {
      kind: 'build',
      context: buildContext,
      dockerfile:
        'dockerfile' in build && build.dockerfile ? field('dockerfile', build.dockerfile) : 'Dockerfile',
      target: 'target' in build && build.target ? field('target', build.target) : undefined,
      args: Object.fromEntries(
        Object.entries(('args' in build && build.args) || {}).map(([key, value]) => [
          key,
          interpolateField(context, [...path, 'build', 'args', key], String(value)),
        ]),
      ),
      tag: `devenv/${context.project}-${name}:${context.env}`,
      notFingerprinted: devenvFiles(context).flatMap((file) => insideOf(buildContext, file)),
    },
  };
}

function resolveWatchRule(
  context: ResolveContext,
  path: PropertyKey[],
  rule: ServiceConfig['watch'][number],
): ResolvedWatchRule {
  const paths = (typeof rule.paths === 'string' ? [rule.paths] : rule.paths).map((p) =>
    p.replaceAll('\\', '/'),
  );
  const ignore = [...ALWAYS_IGNORED, ...rule.ignore];
  if (rule.action === 'sync') return { paths, ignore, action: { kind: 'sync', target: rule.target ?? '/' } };
  if (rule.action === 'run')
    return {
      paths,
      ignore,
      action: { kind: 'run', command: commandArgv(context, [...path, 'command'], rule.command ?? []) },
    };
  return { paths, ignore, action: { kind: rule.action } };
}

function resolveVolumes(
  context: ResolveContext,
  name: string,
  volumes: Readonly<Record<string, string>>,
): ResolvedVolume[] {
  return Object.entries(volumes).map(([volume, path]) => ({
    name: volume,
    volumeName: volumeName(context.project, context.env, name, volume),
    path,
  }));
}

/** Written conditions win; otherwise wait for `healthy` when the target has a ready check. */
function dependsOn(context: ResolveContext, edges: readonly Edge[]): ResolvedDependsOn[] {
  return edges.map((edge) => {
    const ready =
      context.dependencies.get(edge.name)?.ready ?? context.loaded.config.services[edge.name]?.ready;
    return {
      name: edge.name,
      condition: edge.condition ?? (ready ? 'healthy' : 'started'),
      implicit: edge.implicit,
    };
  });
}

function labels(context: ResolveContext, name: string, kind: string, hash: string): Record<string, string> {
  return {
    'devenv.project': context.project,
    'devenv.env': context.env,
    'devenv.name': name,
    'devenv.kind': kind,
    'devenv.config-hash': hash,
  };
}

/**
 * devenv.yaml and the .env layers: edits to them reach services through devenv (a reload that
 * restarts only what changed), never through an image, so they do not make a `build:` image stale.
 */
function devenvFiles(context: ResolveContext): string[] {
  const { loaded } = context;
  return [
    loaded.path,
    ...[...envFileNames('development'), ...envFileNames('preview'), ...loaded.config.env_files].map((name) =>
      resolve(loaded.projectDir, name),
    ),
  ];
}

/** `file` relative to `folder` (POSIX) when it is inside it, as a list of none or one. */
function insideOf(folder: string, file: string): string[] {
  return file !== folder && isInside(folder, file) ? [relative(folder, file).split(sep).join(posix.sep)] : [];
}
