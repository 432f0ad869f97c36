import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors/config-error.js';
import { UsageError } from '../errors/devenv-error.js';
import { isDnsLabel } from '../naming/dns-label.js';
import { loadPresets, type PresetCatalog } from './load-presets.js';
import type { LoadedConfig } from './loaded-config.js';
import { MAX_CONFIG_BYTES } from './parse-yaml.js';
import { defaultProjectName, validateConfigText } from './validate-config-text.js';

export const DEFAULT_CONFIG_FILE = 'devenv.yaml';

export interface LoadConfigOptions {
  /** Absolute working directory (`-C`). */
  cwd: string;
  /** `-f`, relative to `cwd`; default `devenv.yaml`. */
  file?: string | undefined;
  presets?: PresetCatalog;
}

/** Reads and checks devenv.yaml; throws ConfigError with every problem, or UsageError when there is no file. */
export function loadConfig({
  cwd,
  file,
  presets = loadPresets(undefined, cwd),
}: LoadConfigOptions): LoadedConfig {
  const path = resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  const shown = displayPath(cwd, path);
  const text = readConfigFile(path, shown);
  const result = validateConfigText(text, { file: shown, path, presets });
  if (!result.ok) throw new ConfigError(result.problems);
  return result.loaded;
}

/**
 * The project name devenv.yaml gives, read even when the file has problems: for commands that only stop
 * what runs (`down`), which must work after a bad edit. Its `name:` when that is a valid name, else the
 * folder's; undefined when the file is missing or names the project in a way that cannot be read.
 */
export function loadProjectName({ cwd, file }: Omit<LoadConfigOptions, 'presets'>): string | undefined {
  const path = resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = readConfigFile(path, displayPath(cwd, path));
  } catch {
    return undefined;
  }
  const document = parseDocument(text);
  const name: unknown = document.errors.length === 0 ? document.get('name') : topLevelName(text);
  if (name === undefined) return /^name\s*:/m.test(text) ? undefined : defaultProjectName(dirname(path));
  return typeof name === 'string' && isDnsLabel(name) ? name : undefined;
}

/** `name: shop` (quoted or not) at the top of a file YAML cannot parse. */
function topLevelName(text: string): string | undefined {
  return /^name\s*:\s*(["']?)([^"'#\s]+)\1\s*(?:#.*)?$/m.exec(text)?.[2];
}

export function displayPath(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  return shown === '' || shown.startsWith('..') ? path : shown;
}

/** Refuses oversized files before reading them whole: a mistaken `-f` on a dump must not hang or eat memory. */
function readConfigFile(path: string, shown: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError('CONFIG_NOT_FOUND', `no ${shown} here (${path})`, {
        hint: 'create devenv.yaml (see docs/devenv-yaml.md), or point at one with -f FILE / -C DIR',
        cause: error,
      });
    }
    throw new UsageError('CONFIG_UNREADABLE', `cannot read ${shown}: ${code ?? String(error)}`, {
      cause: error,
    });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) {
      throw new UsageError('CONFIG_UNREADABLE', `${shown} is a directory`, {
        hint: 'pass the file itself with -f',
      });
    }
    if (stat.size > MAX_CONFIG_BYTES) {
      const size = `${(stat.size / 1024 / 1024).toFixed(1)} MiB`;
      throw new ConfigError([
        {
          file: shown,
          line: 0,
          col: 0,
          message: `file is ${size}; devenv reads files up to 1 MiB`,
          hint: 'is this the right file? A devenv.yaml describes services, it does not hold data.',
        },
      ]);
    }
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
