import type { PresetCatalog } from '../config/load-presets.js';
import { slugify, truncateSlug } from '../naming/dns-label.js';
import { addressTarget } from './address-target.js';
import type { ComposeEntity } from './compose-entity.js';
import { convertCommand } from './convert-command.js';
import { convertDependsOn } from './convert-depends-on.js';
import { convertDevelop } from './convert-develop.js';
import { convertEnvironment, type EnvFilesSeen } from './convert-environment.js';
import { convertHealthcheck } from './convert-healthcheck.js';
import { convertPorts, noteHostPorts } from './convert-ports.js';
import { convertProfiles } from './convert-profiles.js';
import { convertRestart } from './convert-restart.js';
import { convertVolumes, noteSharedVolumes } from './convert-volumes.js';
import { describeEntity, summarizeEntity } from './describe-entity.js';
import type { DevenvDraft } from './devenv-draft.js';
import { entityForService } from './entity-for-service.js';
import type { OnboardingNote } from './onboarding-note.js';
import { oneShotServices } from './one-shot-services.js';
import type { ComposeFile } from './parse-compose-file.js';
import { rewriteEntityEnv } from './rewrite-entity-env.js';
import { noteUnsetVariables, type ServiceContext, serviceContext } from './service-context.js';
import { noteUnconvertedServiceKeys, noteUnconvertedTopLevel } from './unconverted-keys.js';
import { uniqueName } from './unique-name.js';

export interface ConvertComposeOptions {
  presets: PresetCatalog;
  /** Variables of the project's .env files: Compose interpolates from them, devenv reads them too. */
  vars: ReadonlyMap<string, string>;
  /** Texts of the env files the Compose file names, by path relative to the project folder. */
  envFiles: ReadonlyMap<string, string>;
}

/** The parts of devenv.yaml a Compose file fills in (see `mergeConverted`), and what to tell the user. */
export interface ConvertedCompose
  extends Pick<DevenvDraft, 'dependencies' | 'services' | 'profiles' | 'env_files' | 'comments'> {
  /** The Compose project name (`name:`), as a DNS label, when it gives one. */
  name?: string;
  notes: OnboardingNote[];
  /** One line per converted Compose service, for the command's summary. */
  summary: string[];
  /** Build contexts (relative to the project) of the services: `init` does not add these folders twice. */
  buildContexts: string[];
}

/**
 * A Compose file → the dependencies and services of a devenv.yaml, with a note for everything that did not
 * carry over. Pure: files it needs (env_file entries) come in `options`.
 */
export function convertCompose(compose: ComposeFile, options: ConvertComposeOptions): ConvertedCompose {
  const notes: OnboardingNote[] = [];
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
  noteUnconvertedTopLevel(compose, notes);

  // Names first: env values and depends_on refer to services by their Compose names.
  const contexts = new Map<string, ServiceContext>();
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const composeName of Object.keys(compose.services)) {
    const context = serviceContext(compose, composeName, notes, options.vars);
    contexts.set(composeName, context);
    const name = uniqueName(composeName, taken, 'service');
    names.set(composeName, name);
    if (name !== composeName)
      context.note(undefined, `renamed \`${name}\` (devenv names are DNS labels and unique)`);
  }

  const oneShot = oneShotServices(compose);
  const converted: { entity: ComposeEntity; context: ServiceContext }[] = [];
  const volumeUsers = new Map<string, string[]>();
  const hostPorts: string[] = [];
  const envFilesSeen: EnvFilesSeen = { files: result.env_files, values: new Map() };
  for (const [composeName, context] of contexts) {
    const service = compose.services[composeName] ?? {};
    noteUnconvertedServiceKeys(context, service);
    const entity = entityForService(context, service, {
      name: names.get(composeName) ?? composeName,
      presets: options.presets,
      oneShot: oneShot.has(composeName),
    });
    if (!entity) continue;
    const { build } = entity.spec;
    if (build !== undefined)
      result.buildContexts.push(typeof build === 'string' ? build : (build.context ?? '.'));
    convertCommand(context, entity, service.command);
    convertEnvironment(context, entity, service, {
      vars: options.vars,
      envFiles: options.envFiles,
      seen: envFilesSeen,
    });
    convertPorts(context, entity, service, hostPorts);
    convertVolumes(context, entity, service, volumeUsers);
    convertHealthcheck(context, entity, service.healthcheck);
    convertRestart(context, entity, service.restart, oneShot.has(composeName));
    convertDevelop(context, entity, service.develop);
    converted.push({ entity, context });
  }

  // What refers to other entities, once every entity has its kind, ports and readiness.
  const entities = converted.map(({ entity }) => entity);
  const byCompose = new Map(entities.map((e) => [e.compose, e]));
  for (const { entity, context } of converted)
    convertDependsOn(context, entity, compose.services[entity.compose]?.depends_on, byCompose);
  const targets = entities.map((entity) => addressTarget(entity));
  for (const { entity, context } of converted) rewriteEntityEnv(context, entity, targets, byCompose);

  for (const context of contexts.values()) noteUnsetVariables(context);
  noteSharedVolumes(compose, volumeUsers, notes);
  noteHostPorts(compose, hostPorts, notes);
  result.profiles = convertProfiles(compose, entities, notes);
  for (const entity of entities) {
    result[entity.section][entity.name] = entity.spec;
    result.comments[entity.name] = describeEntity(entity, compose.services[entity.compose] ?? {});
    result.summary.push(`${entity.name}: ${summarizeEntity(entity)}`);
  }
  return result;
}
