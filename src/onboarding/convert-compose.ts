// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.

import { parseEnvFile } from '../config/env-file.js';
import type { PresetCatalog } from '../config/load-presets.js';
import type { Preset } from '../config/schema/preset-schema.js';
import { isDnsLabel, slugify, truncateSlug } from '../naming/dns-label.js';
import { adviceFor, HARMLESS_KEYS } from './compose-advice.js';
import { resolveComposeText, toDevenvTemplate } from './compose-interpolation.js';
import {
  type ComposeEnv,
  type ComposeMount,
  devenvDuration,
  isRecord,
  parseDependsOn,
  parseEnvironment,
  parseHealthcheck,
  parseMount,
  parsePort,
  splitShellWords,
} from './compose-values.js';
import type { Condition, DependencyDraft, ReadyDraft, ServiceDraft, WatchDraft } from './devenv-draft.js';
import { imageEnvDefaults, matchPreset, type PresetMatch } from './match-preset.js';
import { info, type OnboardingNote, warning } from './onboarding-note.js';
import { type ComposeFile, envFileRefs, rebasePath } from './parse-compose-file.js';
import { type AddressTarget, rewriteAddresses } from './rewrite-addresses.js';

export interface ConvertComposeOptions {
  presets: PresetCatalog;
  /** Variables of the project's .env files: Compose interpolates from them, devenv reads them too. */
  vars: ReadonlyMap<string, string>;
  /** Texts of the env files the Compose file names, by path relative to the project folder. */
  envFiles: ReadonlyMap<string, string>;
}

export interface ConvertedCompose {
  /** The Compose project name (`name:`), as a DNS label, when it gives one. */
  name?: string;
  dependencies: Record<string, DependencyDraft>;
  services: Record<string, ServiceDraft>;
  profiles: Record<string, string[]>;
  env_files: string[];
  comments: Record<string, string>;
  notes: OnboardingNote[];
  /** One line per converted Compose service, for the command's summary. */
  summary: string[];
  /** Build contexts (relative to the project) of the services: `init` does not add these folders twice. */
  buildContexts: string[];
}

/** Names `${…}` and the CLI give a meaning of their own (see config/rules/check-names.ts). */
const RESERVED = new Set(['secrets', 'self', 'env', 'ports', 'host', 'port']);

/** The .env layers devenv reads anyway: listing them in `env_files` would read them twice. */
const STANDARD_ENV_FILES = new Set(['.env', '.env.local', '.env.development', '.env.development.local']);

const HANDLED = new Set([
  'image',
  'build',
  'command',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'depends_on',
  'healthcheck',
  'restart',
  'profiles',
  'develop',
]);

/** One Compose service on its way into devenv.yaml. */
interface Entity {
  compose: string;
  name: string;
  section: 'dependencies' | 'services';
  spec: DependencyDraft & ServiceDraft;
  match?: PresetMatch;
  preset?: Preset;
  /** Ports by name, primary first (dependencies), or the one service port. */
  ports: { name: string; container: number }[];
  env: Map<string, string>;
  hasReady: boolean;
}

/**
 * A Compose file → the dependencies and services of a devenv.yaml, with a note for everything that did not
 * carry over. Pure: files it needs (env_file entries) come in `options`.
 */
export function convertCompose(compose: ComposeFile, options: ConvertComposeOptions): ConvertedCompose {
  const notes: OnboardingNote[] = [];
  const at = (service: string, key?: string) =>
    `${compose.file}: services.${service}${key === undefined ? '' : `.${key}`}`;
  const result: ConvertedCompose = {
    dependencies: {},
    services: {},
    profiles: {},
    env_files: [],
    comments: {},
    notes,
    summary: [],
    buildContexts: [],
  };

  const projectName = typeof compose.top.name === 'string' ? truncateSlug(slugify(compose.top.name), 63) : '';
  if (projectName !== '') result.name = projectName;
  topLevelNotes(compose, notes);

  // Names first: env values and depends_on refer to services by their Compose names.
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const composeName of Object.keys(compose.services)) {
    const name = uniqueName(composeName, taken);
    names.set(composeName, name);
    if (name !== composeName)
      notes.push(info(at(composeName), `renamed \`${name}\` (devenv names are DNS labels and unique)`));
  }

  // A service others wait for with `service_completed_successfully` is a one-shot task: a devenv service.
  const oneShot = new Set<string>();
  for (const service of Object.values(compose.services)) {
    const parsed = parseDependsOn(service.depends_on);
    if (parsed.ok)
      for (const edge of parsed.value)
        if (edge.condition === 'service_completed_successfully') oneShot.add(edge.name);
  }

  const entities: Entity[] = [];
  const unsetByService = new Map<string, Set<string>>();
  const volumeUsers = new Map<string, string[]>();
  const hostPorts: string[] = [];
  const envFileValues = new Map<string, { value: string; file: string }>();

  for (const [composeName, service] of Object.entries(compose.services)) {
    const name = names.get(composeName) ?? composeName;
    const unset = new Set<string>();
    unsetByService.set(composeName, unset);
    const resolve = (text: string) => {
      const resolved = resolveComposeText(text, options.vars);
      for (const v of resolved.unset) unset.add(v);
      return resolved.text;
    };
    const template = (text: string) => {
      const converted = toDevenvTemplate(text, options.vars);
      for (const v of converted.unset) unset.add(v);
      return converted.text;
    };

    for (const key of Object.keys(service)) {
      if (HANDLED.has(key)) continue;
      if (key === 'hostname' && service.hostname === composeName) continue;
      if (key === 'networks' && isDefaultNetworks(service.networks)) continue;
      const note = HARMLESS_KEYS.has(key) ? info : warning;
      notes.push(note(at(composeName, key), `not converted: ${adviceFor(key)}`));
    }

    // How it runs: a build is the repository's own code; an image is a dependency unless it is a task.
    const image = typeof service.image === 'string' ? resolve(service.image) : undefined;
    const build = convertBuild(compose, composeName, service.build, template, notes);
    let entity: Entity;
    const base = { compose: composeName, name, env: new Map<string, string>(), ports: [], hasReady: false };
    if (build !== undefined) {
      entity = { ...base, section: 'services', spec: { build } };
      result.buildContexts.push(typeof build === 'string' ? build : (build.context ?? '.'));
      if (image !== undefined)
        notes.push(
          info(
            at(composeName, 'image'),
            `\`${image}\` is the tag of the built image; devenv builds it as \`build:\``,
          ),
        );
    } else if (image !== undefined) {
      const match = matchPreset(image, new Set(options.presets.keys()));
      const preset = match && options.presets.get(match.preset);
      if (oneShot.has(composeName)) {
        entity = { ...base, section: 'services', spec: { image, restart: 'no' } };
      } else if (match && preset) {
        const spec: DependencyDraft = { preset: match.preset };
        if (match.version !== undefined) spec.version = match.version;
        entity = {
          ...base,
          section: 'dependencies',
          spec,
          match,
          preset,
          hasReady: preset.ready !== undefined,
        };
        entity.ports = Object.entries(preset.ports ?? {}).map(([portName, port]) => ({
          name: portName,
          container: typeof port === 'number' ? port : port.container,
        }));
        if (match.kind === 'substitute') {
          notes.push(
            warning(
              at(composeName, 'image'),
              `\`${image}\` replaced by the ${match.preset} preset (\`${preset.image}\`), which devenv knows how to run, check and connect to; to keep \`${image}\`, write \`image: ${image}\` with its ports, volumes and \`ready:\` instead`,
            ),
          );
        }
      } else {
        entity = { ...base, section: 'dependencies', spec: { image } };
      }
    } else {
      notes.push(warning(at(composeName), 'skipped: it has neither `image` nor `build`'));
      continue;
    }
    const { spec } = entity;
    const substitute = entity.match?.kind === 'substitute';
    const dropForSubstitute = (key: string) =>
      notes.push(
        warning(
          at(composeName, key),
          `left out: it configures the replaced image, not the ${entity.match?.preset} preset`,
        ),
      );

    // command
    if (service.command !== undefined) {
      const command = convertCommand(service.command, template);
      if (command === undefined)
        notes.push(warning(at(composeName, 'command'), 'not a string or a list; left out'));
      else if (substitute) dropForSubstitute('command');
      else if (JSON.stringify(command) !== JSON.stringify(entity.preset?.command)) spec.command = command;
    }

    // environment and env_file
    const environment = parseEnvironment(service.environment);
    if (!environment.ok)
      notes.push(warning(at(composeName, 'environment'), `${environment.problem}; left out`));
    const env: ComposeEnv = environment.ok ? environment.value : new Map();
    for (const ref of envFileRefs(compose, service)) {
      const text = options.envFiles.get(ref.path);
      if (text === undefined) {
        if (ref.required)
          notes.push(
            warning(
              at(composeName, 'env_file'),
              `\`${ref.path}\` does not exist; create it, then add it to \`env_files\``,
            ),
          );
        continue;
      }
      const parsed = parseEnvFile({ file: ref.path, text });
      for (const problem of parsed.problems)
        notes.push(
          warning(
            `${ref.path}:${problem.line}:${problem.col}`,
            `${problem.message} (devenv reads this file too)`,
          ),
        );
      if (!STANDARD_ENV_FILES.has(ref.path) && !result.env_files.includes(ref.path))
        result.env_files.push(ref.path);
      for (const [key, value] of parsed.vars) {
        const seen = envFileValues.get(key);
        if (seen && seen.value !== value && seen.file !== ref.path)
          notes.push(
            warning(
              at(composeName, 'env_file'),
              `${key} differs between ${seen.file} and ${ref.path}; devenv reads env files as one set of variables, so the later file wins for every service: give the value in \`env:\` instead`,
            ),
          );
        envFileValues.set(key, { value, file: ref.path });
        // Compose: `environment` wins over `env_file`.
        if (!env.has(key)) entity.env.set(key, `\${${key}}`);
      }
    }
    if (entity.env.size > 0)
      notes.push(
        info(
          at(composeName, 'env_file'),
          `devenv passes no env file to a container: its variables are listed in \`env:\` as \`\${NAME}\`, read from \`env_files\``,
        ),
      );
    const knownVars = new Map([
      ...options.vars,
      ...[...envFileValues].map(([k, v]) => [k, v.value] as const),
    ]);
    for (const [key, value] of env) {
      if (value === undefined) {
        // A bare `KEY`: Compose passes the shell's value through.
        if (!knownVars.has(key)) unset.add(key);
        entity.env.set(key, knownVars.has(key) ? `\${${key}}` : `\${${key}:-}`);
      } else {
        entity.env.set(key, template(value));
      }
    }
    if (entity.preset) {
      entity.env = presetEnv(entity, notes, at(composeName, 'environment'));
    }

    // ports and expose
    const declared: { container: number; udp: boolean; name?: string }[] = [];
    for (const entry of Array.isArray(service.ports) ? service.ports : []) {
      const parsed = parsePort(typeof entry === 'string' ? resolve(entry) : entry);
      if (!parsed.ok) {
        notes.push(warning(at(composeName, 'ports'), `${parsed.problem}; left out`));
        continue;
      }
      const port = parsed.value;
      if (port.host !== undefined) hostPorts.push(`${port.host} (${composeName})`);
      declared.push({
        container: port.container,
        udp: port.protocol === 'udp',
        ...(port.name ? { name: port.name } : {}),
      });
    }
    for (const entry of Array.isArray(service.expose) ? service.expose : []) {
      const port = Number(String(entry).split('/')[0]);
      if (Number.isInteger(port) && port > 0 && port < 65536)
        declared.push({ container: port, udp: String(entry).endsWith('/udp') });
      else notes.push(warning(at(composeName, 'expose'), `\`${String(entry)}\` is not a port; left out`));
    }
    convertPorts(entity, declared, notes, at(composeName, 'ports'));

    // volumes
    for (const entry of Array.isArray(service.volumes) ? service.volumes : []) {
      const parsed = parseMount(typeof entry === 'string' ? resolve(entry) : entry);
      if (!parsed.ok) {
        notes.push(warning(at(composeName, 'volumes'), `${parsed.problem}; left out`));
        continue;
      }
      convertMount(compose, entity, parsed.value, notes, at(composeName, 'volumes'), volumeUsers);
    }

    // healthcheck → ready
    if (service.healthcheck !== undefined) {
      if (entity.preset && !substitute) {
        notes.push(
          info(
            at(composeName, 'healthcheck'),
            `the ${entity.preset.name} preset's own readiness check is used`,
          ),
        );
      } else if (substitute) {
        dropForSubstitute('healthcheck');
      } else {
        const parsed = parseHealthcheck(service.healthcheck);
        if (!parsed.ok) notes.push(warning(at(composeName, 'healthcheck'), `${parsed.problem}; left out`));
        else if (parsed.value) {
          const check = parsed.value;
          const command =
            typeof check.command === 'string' ? resolve(check.command) : check.command.map(resolve);
          // Compose gives up after start_period + interval × retries; devenv's timeout is the whole wait.
          const giveUp = (check.startPeriodMs ?? 0) + (check.intervalMs ?? 30_000) * (check.retries ?? 3);
          const ready: ReadyDraft = { command };
          if (check.intervalMs !== undefined) ready.interval = devenvDuration(check.intervalMs);
          ready.timeout = devenvDuration(Math.max(60_000, giveUp));
          spec.ready = ready;
          entity.hasReady = true;
        }
      }
    }

    // restart
    if (entity.section === 'services') {
      const restart = typeof service.restart === 'string' ? service.restart : undefined;
      if (oneShot.has(composeName)) spec.restart = 'no';
      else if (restart === 'always' || restart === 'unless-stopped') spec.restart = 'always';
    } else if (service.restart !== undefined) {
      notes.push(
        info(
          at(composeName, 'restart'),
          'devenv watches dependencies itself (a crash shows in `devenv status`); left out',
        ),
      );
    }

    // develop.watch → watch
    if (isRecord(service.develop))
      convertDevelop(compose, entity, service.develop, notes, at(composeName, 'develop'));

    entities.push(entity);
  }

  // depends_on, once every service has its kind and readiness.
  const byCompose = new Map(entities.map((e) => [e.compose, e]));
  for (const entity of entities) {
    const service = compose.services[entity.compose] ?? {};
    const parsed = parseDependsOn(service.depends_on);
    if (!parsed.ok) {
      notes.push(warning(at(entity.compose, 'depends_on'), `${parsed.problem}; left out`));
      continue;
    }
    const list: string[] = [];
    const map: Record<string, Condition> = {};
    for (const edge of parsed.value) {
      const target = byCompose.get(edge.name);
      if (!target) {
        notes.push(
          warning(at(entity.compose, 'depends_on'), `\`${edge.name}\` is not a converted service; left out`),
        );
        continue;
      }
      if (!edge.required)
        notes.push(
          warning(
            at(entity.compose, `depends_on.${edge.name}`),
            '`required: false`: devenv always starts what a service depends on',
          ),
        );
      if (edge.restart)
        notes.push(
          warning(
            at(entity.compose, `depends_on.${edge.name}`),
            '`restart: true` is not supported: devenv does not restart a service when its dependency restarts',
          ),
        );
      if (edge.fromList) {
        list.push(target.name);
        continue;
      }
      let condition: Condition = 'started';
      if (edge.condition === 'service_healthy') {
        if (target.hasReady) condition = 'healthy';
        else
          notes.push(
            warning(
              at(entity.compose, `depends_on.${edge.name}`),
              `\`${edge.name}\` has no readiness check, so devenv waits until it is started; add \`ready:\` to it, then \`healthy\``,
            ),
          );
      } else if (edge.condition === 'service_completed_successfully') condition = 'completed';
      map[target.name] = condition;
    }
    if (list.length > 0) entity.spec.depends_on = list;
    else if (Object.keys(map).length > 0) entity.spec.depends_on = map;
  }

  // Hostnames in env values → devenv's injected addresses.
  const targets = entities.map((entity) => addressTarget(entity));
  for (const entity of entities) {
    const others = targets.filter((target) => target.host !== entity.compose);
    const env: Record<string, string> = {};
    for (const [key, value] of entity.env) {
      const rewritten = rewriteAddresses(key, value, others);
      env[key] = rewritten.value;
      if (rewritten.changed)
        notes.push(
          info(
            at(entity.compose, `environment.${key}`),
            `\`${value}\` → \`${rewritten.value}\` (an address devenv injects, right for containers and local processes)`,
          ),
        );
      for (const host of rewritten.leftover) {
        const name = byCompose.get(host)?.name ?? host;
        notes.push(
          warning(
            at(entity.compose, `environment.${key}`),
            `\`${rewritten.value}\` names the Compose service \`${host}\` as a host: containers reach it as \`${name}\`, local processes do not; write it with \`\${${name}.host}\` and \`\${${name}.port}\` (see \`devenv env\`)`,
          ),
        );
      }
    }
    if (Object.keys(env).length > 0) entity.spec.env = env;
  }

  for (const [composeName, unset] of unsetByService) {
    if (unset.size === 0) continue;
    const list = [...unset].map((v) => `\`${v}\``).join(', ');
    notes.push(
      warning(
        at(composeName),
        `${list} ${unset.size === 1 ? 'is' : 'are'} not set in .env: Compose would use an empty value, and so does devenv (\`\${NAME:-}\`); set ${unset.size === 1 ? 'it' : 'them'} in .env or .env.local`,
      ),
    );
  }
  for (const [volume, users] of volumeUsers) {
    if (users.length > 1)
      notes.push(
        warning(
          `${compose.file}: volumes.${volume}`,
          `shared by ${users.join(', ')}: a devenv volume belongs to one dependency or service, so each gets its own copy; share data through one of them instead`,
        ),
      );
  }
  if (hostPorts.length > 0)
    notes.push(
      info(
        `${compose.file}: ports`,
        `published host ports ${hostPorts.join(', ')} are not pinned: devenv derives a stable free port per environment (\`devenv env\`, \`devenv urls\`); write \`{container, host}\` to pin one`,
      ),
    );

  result.profiles = convertProfiles(compose, entities, notes);
  for (const entity of entities) {
    result[entity.section][entity.name] = entity.spec;
    result.comments[entity.name] = describe(entity, compose.services[entity.compose] ?? {});
    result.summary.push(`${entity.name}: ${summaryOf(entity)}`);
  }
  return result;
}

function uniqueName(composeName: string, taken: Set<string>): string {
  let name = truncateSlug(slugify(composeName), 50) || 'service';
  if (RESERVED.has(name)) name = `${name}-svc`;
  let candidate = name;
  for (let n = 2; taken.has(candidate) || !isDnsLabel(candidate); n += 1) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}

function isDefaultNetworks(networks: unknown): boolean {
  const list = Array.isArray(networks) ? networks : isRecord(networks) ? Object.keys(networks) : [];
  return list.length === 1 && list[0] === 'default';
}

function topLevelNotes(compose: ComposeFile, notes: OnboardingNote[]): void {
  const where = (key: string) => `${compose.file}: ${key}`;
  for (const key of Object.keys(compose.top)) {
    if (['services', 'name', 'version', 'volumes'].includes(key) || key.startsWith('x-')) continue;
    if (key === 'networks') notes.push(warning(where(key), `not converted: ${adviceFor('networks')}`));
    else if (key === 'secrets' || key === 'configs')
      notes.push(warning(where(key), `not converted: ${adviceFor(key)}`));
    else if (key === 'include')
      notes.push(
        warning(
          where(key),
          'included files are not read: import each one (`devenv import compose FILE --stdout`) and merge what you need',
        ),
      );
    else notes.push(warning(where(key), 'not a Compose key devenv knows; left out'));
  }
  if (isRecord(compose.top.volumes)) {
    for (const [name, spec] of Object.entries(compose.top.volumes)) {
      if (!isRecord(spec)) continue;
      if (spec.external !== undefined && spec.external !== false)
        notes.push(
          warning(
            where(`volumes.${name}`),
            'external volume: devenv creates its own volumes per environment, so this data is not used; copy it in with `devenv exec` if you need it',
          ),
        );
      else if (spec.driver !== undefined || spec.driver_opts !== undefined || spec.name !== undefined)
        notes.push(
          warning(
            where(`volumes.${name}`),
            'driver, options and names are not supported: devenv creates plain named volumes `<project>-<env>-<name>-<volume>`',
          ),
        );
    }
  }
}

function convertBuild(
  compose: ComposeFile,
  service: string,
  value: unknown,
  template: (text: string) => string,
  notes: OnboardingNote[],
): ServiceDraft['build'] | undefined {
  if (value === undefined) return undefined;
  const at = `${compose.file}: services.${service}.build`;
  const spec = typeof value === 'string' ? { context: value } : isRecord(value) ? value : undefined;
  if (!spec) {
    notes.push(warning(at, 'not a path or a map; left out'));
    return undefined;
  }
  const contextText = typeof spec.context === 'string' ? spec.context : '.';
  if (/^[a-z]+:\/\/|^git@/.test(contextText)) {
    notes.push(
      warning(
        at,
        `a remote context (\`${contextText}\`) is not supported: clone it into the repository, or use its image`,
      ),
    );
    return undefined;
  }
  const context = rebasePath(compose.dir, contextText);
  const build: Exclude<ServiceDraft['build'], string | undefined> = { context };
  if (typeof spec.dockerfile === 'string') build.dockerfile = spec.dockerfile;
  if (typeof spec.target === 'string') build.target = spec.target;
  const args = parseEnvironment(spec.args);
  if (!args.ok) notes.push(warning(`${at}.args`, `${args.problem}; left out`));
  else if (args.value.size > 0) {
    build.args = Object.fromEntries(
      [...args.value].map(([k, v]) => [k, v === undefined ? `\${${k}:-}` : template(v)]),
    );
  }
  for (const key of Object.keys(spec)) {
    if (['context', 'dockerfile', 'target', 'args'].includes(key)) continue;
    notes.push(
      warning(`${at}.${key}`, 'not supported by devenv builds (context, dockerfile, target, args); left out'),
    );
  }
  return build.dockerfile === undefined && build.target === undefined && build.args === undefined
    ? context
    : build;
}

function convertCommand(value: unknown, template: (text: string) => string): string | string[] | undefined {
  if (typeof value === 'string') {
    // Compose runs a string without a shell, split into words; a list says exactly that to devenv.
    const words = splitShellWords(value);
    return words === undefined ? template(value) : words.map(template);
  }
  if (Array.isArray(value) && value.length > 0) return value.map((word) => template(String(word)));
  return undefined;
}

/**
 * A preset's env is the base; only what the Compose service means differently is written. Variables the
 * Compose file leaves to the image's defaults (`postgres` as the user) are written too where the preset
 * chooses otherwise, so apps keep connecting with the credentials they were written against.
 */
function presetEnv(entity: Entity, notes: OnboardingNote[], at: string): Map<string, string> {
  const preset = entity.preset;
  if (!preset) return entity.env;
  const presetValues = new Map(Object.entries(preset.env ?? {}).map(([k, v]) => [k, String(v)]));
  if (entity.match?.kind === 'substitute') {
    const kept = new Map<string, string>();
    const dropped: string[] = [];
    for (const [key, value] of entity.env) {
      const renamed = entity.match.envRenames?.[key];
      if (renamed !== undefined) kept.set(renamed, value);
      else dropped.push(key);
    }
    if (dropped.length > 0)
      notes.push(
        warning(
          at,
          `${dropped.join(', ')} left out: ${dropped.length === 1 ? 'it configures' : 'they configure'} the replaced image, not the ${preset.name} preset`,
        ),
      );
    return diff(kept, presetValues);
  }
  const effective = new Map([...imageEnvDefaults(preset.name, entity.env), ...entity.env]);
  return diff(effective, presetValues);
}

function diff(values: ReadonlyMap<string, string>, base: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...values].filter(([key, value]) => base.get(key) !== value));
}

function convertPorts(
  entity: Entity,
  declared: readonly { container: number; udp: boolean; name?: string }[],
  notes: OnboardingNote[],
  at: string,
): void {
  const seen = new Set<number>();
  for (const port of declared) {
    if (seen.has(port.container)) continue;
    seen.add(port.container);
    if (entity.section === 'services') {
      if (entity.spec.port === undefined && !port.udp) {
        entity.spec.port = port.container;
        entity.ports.push({ name: 'port', container: port.container });
      } else {
        notes.push(
          warning(
            at,
            `${port.container}${port.udp ? '/udp' : ''}: a devenv service has one port (its URL); this one is reachable from other containers only`,
          ),
        );
      }
      continue;
    }
    if (entity.ports.some((p) => p.container === port.container)) continue;
    if (entity.match?.kind === 'substitute') {
      notes.push(
        warning(at, `${port.container}: the ${entity.match.preset} preset does not serve it; left out`),
      );
      continue;
    }
    addDependencyPort(entity, port.container, port.udp, port.name);
  }
}

function addDependencyPort(entity: Entity, container: number, udp = false, wanted?: string): string {
  const taken = new Set(entity.ports.map((p) => p.name));
  let name = wanted !== undefined && /^[a-z][a-z0-9-]*$/.test(wanted) ? wanted : `port-${container}`;
  for (let n = 2; taken.has(name); n += 1) name = `port-${container}-${n}`;
  entity.ports.push({ name, container });
  entity.spec.ports = { ...entity.spec.ports, [name]: udp ? { container, protocol: 'udp' } : container };
  return name;
}

function convertMount(
  compose: ComposeFile,
  entity: Entity,
  mount: ComposeMount,
  notes: OnboardingNote[],
  at: string,
  volumeUsers: Map<string, string[]>,
): void {
  if (mount.kind === 'volume') {
    volumeUsers.set(mount.source, [...(volumeUsers.get(mount.source) ?? []), entity.compose]);
    const presetPaths = Object.values(entity.preset?.volumes ?? {});
    if (presetPaths.includes(mount.target)) return; // the preset keeps that data in a volume of its own
    if (entity.match?.kind === 'substitute') {
      notes.push(
        warning(
          at,
          `${mount.source}:${mount.target}: a path of the replaced image; left out (the preset keeps its data in a volume)`,
        ),
      );
      return;
    }
    const taken = new Set(Object.keys(entity.spec.volumes ?? {}));
    const base = truncateSlug(slugify(mount.source), 50) || 'data';
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
    entity.spec.volumes = { ...entity.spec.volumes, [name]: mount.target };
    if (mount.readOnly)
      notes.push(
        warning(
          at,
          `${mount.source}:${mount.target}: mounted read-write (devenv volumes have no read-only mode)`,
        ),
      );
    return;
  }
  if (mount.kind === 'bind') {
    const source = rebasePath(compose.dir, mount.source);
    const inRepo = !source.startsWith('/') && !source.startsWith('~') && !source.startsWith('..');
    if (entity.section === 'services' && entity.spec.build !== undefined && inRepo && !mount.readOnly) {
      entity.spec.watch = [
        ...(entity.spec.watch ?? []),
        { paths: source, action: 'sync', target: mount.target },
      ];
      notes.push(
        warning(
          at,
          `bind mount ${mount.source}:${mount.target} became a \`watch\` rule that copies changed files into the running container: devenv mounts no host folders, so the image must contain them (COPY in the Dockerfile) and the app must reload itself`,
        ),
      );
      return;
    }
    const advice =
      entity.section === 'services' && entity.spec.build !== undefined
        ? 'COPY the file in the Dockerfile'
        : 'build a small image FROM it that COPYs the file, and use `build:`; for database init scripts, run them once with `devenv exec` or `preview.seed`';
    notes.push(
      warning(
        at,
        `bind mount ${mount.source}:${mount.target} is not supported (devenv mounts no host paths): ${advice}`,
      ),
    );
    return;
  }
  if (mount.kind === 'anonymous') {
    notes.push(
      warning(
        at,
        `anonymous volume ${mount.target} left out: give it a name under \`volumes:\` if its data must be kept (node_modules needs none: \`watch\` never copies it)`,
      ),
    );
    return;
  }
  notes.push(
    warning(at, `tmpfs ${mount.target} is not supported: it is an ordinary folder in the container`),
  );
}

function convertDevelop(
  compose: ComposeFile,
  entity: Entity,
  develop: Record<string, unknown>,
  notes: OnboardingNote[],
  at: string,
): void {
  const rules = Array.isArray(develop.watch) ? develop.watch : [];
  for (const rule of rules) {
    if (!isRecord(rule) || typeof rule.path !== 'string') continue;
    const paths = rebasePath(compose.dir, rule.path);
    const ignore = Array.isArray(rule.ignore) ? rule.ignore.map(String) : [];
    const action = String(rule.action);
    let watch: WatchDraft | undefined;
    if (
      (action === 'sync' || action.startsWith('sync+')) &&
      typeof rule.target === 'string' &&
      entity.section === 'services'
    ) {
      watch = { paths, action: 'sync', target: rule.target };
      if (action !== 'sync')
        notes.push(
          warning(
            `${at}.watch`,
            `\`${action}\` became \`sync\`: devenv copies the files; add a \`restart\` rule for the same paths if the app does not reload itself`,
          ),
        );
    } else if (action === 'rebuild' && entity.spec.build !== undefined) watch = { paths, action: 'rebuild' };
    else if (action === 'restart') watch = { paths, action: 'restart' };
    if (watch === undefined) {
      notes.push(warning(`${at}.watch`, `\`${action}\` on ${rule.path} does not fit this service; left out`));
      continue;
    }
    if (ignore.length > 0) watch.ignore = ignore;
    entity.spec.watch = [...(entity.spec.watch ?? []), watch];
  }
  for (const key of Object.keys(develop))
    if (key !== 'watch') notes.push(warning(`${at}.${key}`, 'not supported; left out'));
}

function addressTarget(entity: Entity): AddressTarget {
  const urls: string[] = [];
  const preset = entity.preset;
  if (preset) {
    const template = preset.outputs.url;
    const text = typeof template === 'string' ? template : template?.network;
    const env = new Map([
      ...Object.entries(preset.env ?? {}).map(([k, v]) => [k, String(v)] as const),
      ...entity.env,
    ]);
    const filled = text && fillOutput(text, entity.compose, entity.ports, env);
    if (filled) {
      urls.push(filled);
      if (filled.startsWith('postgres://')) urls.push(filled.replace('postgres://', 'postgresql://'));
    }
  } else if (entity.section === 'services' && typeof entity.spec.port === 'number') {
    urls.push(`http://${entity.compose}:${entity.spec.port}`);
  }
  return {
    host: entity.compose,
    name: entity.name,
    urls,
    brokers: preset?.outputs.brokers !== undefined,
    portRef: (container) => {
      if (entity.section === 'services') {
        if (entity.spec.port === undefined && entity.spec.run === undefined) {
          entity.spec.port = container;
          entity.ports.push({ name: 'port', container });
        }
        return entity.spec.port === container ? `\${${entity.name}.port}` : undefined;
      }
      const found = entity.ports.find((p) => p.container === container);
      if (entity.match?.kind === 'substitute' && !found) return undefined;
      const name = found?.name ?? addDependencyPort(entity, container);
      return entity.ports[0]?.name === name ? `\${${entity.name}.port}` : `\${${entity.name}.ports.${name}}`;
    },
  };
}

/** A preset output template as the Compose service's own URL would read (its host, container port, env). */
function fillOutput(
  template: string,
  host: string,
  ports: readonly { name: string; container: number }[],
  env: ReadonlyMap<string, string>,
): string | undefined {
  let missing = false;
  const filled = template.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
    let value: string | number | undefined;
    if (key === 'host') value = host;
    else if (key === 'port') value = ports[0]?.container;
    else if (key.startsWith('ports.')) value = ports.find((p) => p.name === key.slice(6))?.container;
    else if (key.startsWith('env.')) value = env.get(key.slice(4));
    if (value === undefined) missing = true;
    return String(value ?? '');
  });
  return missing ? undefined : filled;
}

function convertProfiles(
  compose: ComposeFile,
  entities: readonly Entity[],
  notes: OnboardingNote[],
): Record<string, string[]> {
  const byProfile = new Map<string, string[]>();
  const always: string[] = [];
  for (const entity of entities) {
    const profiles = compose.services[entity.compose]?.profiles;
    if (!Array.isArray(profiles) || profiles.length === 0) {
      always.push(entity.name);
      continue;
    }
    for (const profile of profiles.map(String)) {
      const name = truncateSlug(slugify(profile), 63) || 'profile';
      byProfile.set(name, [...(byProfile.get(name) ?? []), entity.name]);
    }
  }
  if (byProfile.size === 0) return {};
  const result: Record<string, string[]> = {};
  if (always.length > 0) result.default = always;
  for (const [name, members] of byProfile) {
    if (name === 'default') result.default = [...(result.default ?? []), ...members];
    else result[name] = [...always, ...members];
  }
  notes.push(
    info(
      `${compose.file}: profiles`,
      `Compose profiles became devenv profiles (${Object.keys(result).join(', ')}): \`devenv up\` runs \`default\`${always.length === 0 ? ' (none: every service had a profile, so it runs everything)' : ''}; a preview can run another with \`preview.profile\``,
    ),
  );
  return result;
}

function describe(entity: Entity, service: Record<string, unknown>): string {
  const source = typeof service.image === 'string' ? service.image : 'build';
  if (entity.preset)
    return `From Compose service \`${entity.compose}\` (${source}): the ${entity.preset.name} preset adds readiness, a data volume and outputs such as \${${entity.name}.url}.`;
  if (entity.spec.restart === 'no')
    return `From Compose service \`${entity.compose}\` (${source}): a one-shot task others wait for (\`completed\`).`;
  if (entity.section === 'services' && entity.spec.build !== undefined)
    return `From Compose service \`${entity.compose}\`: built from its Dockerfile. Check \`port\` (its URL) and \`watch\` (hot reload).`;
  return `From Compose service \`${entity.compose}\` (${source}): a plain image; check \`ports\` and \`ready\`.`;
}

function summaryOf(entity: Entity): string {
  if (entity.preset)
    return `preset ${entity.preset.name}${entity.spec.version === undefined ? '' : ` ${entity.spec.version}`}`;
  if (entity.spec.build !== undefined)
    return `service built from ${typeof entity.spec.build === 'string' ? entity.spec.build : entity.spec.build.context}`;
  return `${entity.section === 'services' ? 'task' : 'dependency'} ${entity.spec.image ?? ''}`;
}
