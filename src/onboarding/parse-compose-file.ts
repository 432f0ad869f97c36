import { posix } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from '../errors/config-error.js';
import { isRecord } from './is-record.js';

/** A Compose file as read: its top level as plain data (anchors and `<<` merges applied). */
export interface ComposeFile {
  /** Path shown in notes and errors, e.g. `compose.yaml` or `docker/compose.yaml`. */
  file: string;
  /** Its folder relative to the project folder, posix (`.` when the same): Compose paths are relative to it. */
  dir: string;
  top: Record<string, unknown>;
  services: Record<string, Record<string, unknown>>;
}

/** Compose's own lookup order when no file is named. */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

/** Text → the file's data; a file that is not YAML, or has no `services` map, is a ConfigError with positions. */
export function parseComposeFile(text: string, file: string, dir: string): ComposeFile {
  const document = parseDocument(text, { merge: true, prettyErrors: true });
  const problems: ConfigProblem[] = document.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? 0,
    col: error.linePos?.[0].col ?? 0,
    message: `invalid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '')}`,
  }));
  if (problems.length > 0) throw new ConfigError(problems);
  let top: unknown;
  try {
    top = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Merging a scalar (`<<: *name`), too many aliases: the YAML parses, but has no data to convert.
    throw new ConfigError([
      {
        file,
        line: 0,
        col: 0,
        message: `invalid YAML: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  if (!isRecord(top) || !isRecord(top.services)) {
    throw new ConfigError([
      {
        file,
        line: 0,
        col: 0,
        message: 'not a Compose file: it has no `services:` map',
        hint: 'name the Compose file: `devenv import compose path/to/compose.yaml`',
      },
    ]);
  }
  const services: Record<string, Record<string, unknown>> = {};
  for (const [name, service] of Object.entries(top.services)) {
    // `svc:` with nothing under it is a valid (empty) service in Compose.
    services[name] = isRecord(service) ? service : {};
  }
  return { file, dir, top, services };
}

/** A path Compose reads relative to its file, as devenv reads it: relative to devenv.yaml. */
export function rebasePath(dir: string, path: string): string {
  if (posix.isAbsolute(path) || path.startsWith('~')) return path;
  return posix.normalize(posix.join(dir, path)).replace(/\/$/, '') || '.';
}

export interface EnvFileRef {
  /** Relative to the project folder. */
  path: string;
  required: boolean;
}

/** The `env_file:` entries of one service: a string, a list of strings, or a list of `{path, required}`. */
export function envFileRefs(compose: ComposeFile, service: Record<string, unknown>): EnvFileRef[] {
  const value = service.env_file;
  const entries = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const refs: EnvFileRef[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') refs.push({ path: rebasePath(compose.dir, entry), required: true });
    else if (isRecord(entry) && typeof entry.path === 'string')
      refs.push({ path: rebasePath(compose.dir, entry.path), required: entry.required !== false });
  }
  return refs;
}

/** Every env file a Compose file names: the reader reads these before converting. */
export function allEnvFileRefs(compose: ComposeFile): EnvFileRef[] {
  return Object.values(compose.services).flatMap((service) => envFileRefs(compose, service));
}
