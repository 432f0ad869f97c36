import { resolve } from 'node:path';
import type { ResolvedEnv, ResolvedOutputs } from '../model/resolved-env.js';
import { isInside } from '../util/is-inside.js';
import { type Interpolated, interpolate } from './interpolate.js';
import { evaluateOutput } from './output-template.js';
import { dotted, interpolateField, type ResolveContext, report } from './resolve-context.js';

export type View = 'host' | 'network';

/** An output value for one view; `secret` when a secret went into it. */
type OutputValues = Map<string, { value: string; secret: boolean }>;

/** Reported problems are not repeated by every value that depended on them. */
const ALREADY_REPORTED: Interpolated = { ok: false, message: '' };

/**
 * Resolves env values and outputs on demand, memoised, so only what the selected entities need is
 * resolved (and only the secrets they use are read). Entities that reference each other's env through
 * outputs in a loop are reported instead of recursing forever.
 */
export function createEnvResolver(context: ResolveContext) {
  const { config } = context.loaded;
  const envs = new Map<string, ResolvedEnv | undefined>();
  const outputs = new Map<string, OutputValues | undefined>();
  const secrets = new Map<string, Interpolated>();
  const inProgress = new Set<string>();

  const onHostOf = (name: string): boolean =>
    context.containerised !== true && config.services[name]?.run !== undefined;
  const viewOf = (name: string): View => (onHostOf(name) ? 'host' : 'network');

  function envOf(name: string): ResolvedEnv | undefined {
    if (envs.has(name)) return envs.get(name);
    if (inProgress.has(name)) return undefined;
    inProgress.add(name);
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    let failed = false;
    for (const { key, raw, path } of envEntries(name)) {
      const result = interpolate(String(raw), {
        vars: context.vars,
        ref: (target, refKey) => reference(name, target, refKey),
        secret: (secretName) => secret(secretName),
      });
      if (!result.ok) {
        failed = true;
        if (result.message !== '') report(context, path, `${dotted(path)}: ${result.message}`, result.hint);
        continue;
      }
      values[key] = result.value;
      if (result.secret) secretKeys.push(key);
    }
    inProgress.delete(name);
    const env = failed ? undefined : { values, secretKeys };
    envs.set(name, env);
    return env;
  }

  function envEntries(name: string): { key: string; raw: string | number | boolean; path: PropertyKey[] }[] {
    const dependency = context.dependencies.get(name);
    const section = dependency ? 'dependencies' : 'services';
    const base = dependency?.env ?? config.services[name]?.env ?? {};
    const entries = Object.entries(base).map(([key, raw]) => ({
      key,
      raw,
      path: [section, name, 'env', key] as PropertyKey[],
    }));
    const service = config.services[name];
    const port = context.ports.get(name)?.[0];
    if (service && port && !Object.hasOwn(base, 'PORT')) {
      entries.unshift({ key: 'PORT', raw: String(port.container), path: [section, name, 'port'] });
    }
    for (const [key, raw] of Object.entries(context.envOverrides[name] ?? {})) {
      const path = ['preview', 'env', name, key];
      const index = entries.findIndex((entry) => entry.key === key);
      if (index >= 0) entries.splice(index, 1);
      entries.push({ key, raw, path });
    }
    return entries;
  }

  function reference(consumer: string, target: string, key: string): Interpolated {
    if (target === 'self') {
      const value = builtinOutputs(consumer, viewOf(consumer)).get(key);
      return value ? { ok: true, ...value } : { ok: false, message: `\`self\` has no \`${key}\`` };
    }
    if (inProgress.has(target) && context.dependencies.has(target)) {
      return { ok: false, message: `\${${target}.${key}} leads back to \`${consumer}\` (reference loop)` };
    }
    const values = outputsOf(target, viewOf(consumer));
    if (values === undefined) return ALREADY_REPORTED;
    const value = values.get(key);
    if (value === undefined) return { ok: false, message: `\`${target}\` has no output \`${key}\`` };
    return { ok: true, ...value };
  }

  /** Host, ports and URL: what every entity offers without reading its env. */
  function builtinOutputs(name: string, view: View): OutputValues {
    const ports = context.ports.get(name) ?? [];
    const service = config.services[name];
    const onHost = onHostOf(name);
    const host = view === 'host' ? '127.0.0.1' : onHost ? 'host.docker.internal' : name;
    const portOf = (p: { host: number; container: number }) =>
      view === 'host' || onHost ? p.host : p.container;
    const primary = ports[0] ? portOf(ports[0]) : undefined;
    const values: OutputValues = new Map([['host', { value: host, secret: false }]]);
    if (primary !== undefined) values.set('port', { value: String(primary), secret: false });
    for (const port of ports)
      values.set(`ports.${port.name}`, { value: String(portOf(port)), secret: false });
    for (const port of ports)
      values.set(`host_ports.${port.name}`, { value: String(port.host), secret: false });
    if (service && primary !== undefined)
      values.set('url', { value: `http://${host}:${primary}`, secret: false });
    return values;
  }

  function outputsOf(name: string, view: View): OutputValues | undefined {
    const memoKey = `${name}\0${view}`;
    if (outputs.has(memoKey)) return outputs.get(memoKey);
    const values = builtinOutputs(name, view);
    const ports = context.ports.get(name) ?? [];
    const onHost = onHostOf(name);
    const portOf = (p: { host: number; container: number }) =>
      view === 'host' || onHost ? p.host : p.container;

    const dependency = context.dependencies.get(name);
    if (dependency && Object.keys(dependency.outputs).length > 0) {
      const env = envOf(name);
      if (env === undefined) {
        outputs.set(memoKey, undefined);
        return undefined;
      }
      const scope = {
        host: values.get('host')?.value ?? name,
        port: ports[0] ? portOf(ports[0]) : undefined,
        ports: Object.fromEntries(ports.map((p) => [p.name, portOf(p)])),
        env: env.values,
      };
      for (const [key, output] of Object.entries(dependency.outputs)) {
        const result = evaluateOutput(typeof output === 'string' ? output : output[view], scope);
        if (!result.ok) {
          report(
            context,
            ['dependencies', name, 'outputs', key],
            `output \`${key}\` of \`${name}\` ${result.message}`,
          );
          continue;
        }
        values.set(key, {
          value: result.value,
          secret: result.usesEnv.some((k) => env.secretKeys.includes(k)),
        });
      }
    }
    outputs.set(memoKey, values);
    return values;
  }

  function secret(name: string): Interpolated {
    const cached = secrets.get(name);
    if (cached) return cached;
    const result = readSecret(name);
    secrets.set(name, result);
    return result;
  }

  function readSecret(name: string): Interpolated {
    const source = config.secrets[name];
    // `status`, `urls`, `logs`…: no password prompt, no `op read`, no error for a secret unset here.
    if (source !== undefined && !context.readSecrets)
      return { ok: true, value: `<secret ${name}>`, secret: true };
    const fail = (reason: string, hint?: string): Interpolated => ({
      ok: false,
      message: `secret \`${name}\` could not be resolved: ${reason}`,
      ...(hint ? { hint } : {}),
    });
    if (source?.env !== undefined) {
      const value = context.vars.get(source.env);
      return value === undefined || value === ''
        ? fail(`${source.env} is not set`, `export ${source.env}=… or put it in .env.local (not committed)`)
        : { ok: true, value, secret: true };
    }
    if (source?.file !== undefined) {
      const written = interpolateField(context, ['secrets', name, 'file'], source.file);
      const path = expandHome(written, context.homeDir, context.loaded.projectDir);
      if (isInside(context.loaded.projectDir, path)) {
        return fail(
          `${written} is inside the repository`,
          'keep secret files outside the repo, e.g. in ~/.config',
        );
      }
      const read = context.resolveSecret(name, { kind: 'file', path });
      return read.ok ? { ok: true, value: read.value, secret: true } : fail(`${written}: ${read.reason}`);
    }
    if (source?.command !== undefined) {
      const command =
        typeof source.command === 'string'
          ? ['sh', '-c', interpolateField(context, ['secrets', name, 'command'], source.command)]
          : [...source.command];
      const read = context.resolveSecret(name, { kind: 'command', command, cwd: context.loaded.projectDir });
      return read.ok ? { ok: true, value: read.value, secret: true } : fail(read.reason);
    }
    return fail('it is not declared');
  }

  /** Outputs in both views, for the model (`devenv env` shows the host view). */
  function resolvedOutputs(name: string): ResolvedOutputs {
    const host = outputsOf(name, 'host') ?? new Map();
    const network = outputsOf(name, 'network') ?? new Map();
    const plain = (values: OutputValues) => Object.fromEntries([...values].map(([k, v]) => [k, v.value]));
    return {
      host: plain(host),
      network: plain(network),
      secretKeys: [...host].filter(([, v]) => v.secret).map(([k]) => k),
    };
  }

  return { envOf, resolvedOutputs, secret, viewOf };
}

function expandHome(path: string, home: string | undefined, base: string): string {
  if (home !== undefined && (path === '~' || path.startsWith('~/'))) return resolve(home, path.slice(2));
  return resolve(base, path);
}
