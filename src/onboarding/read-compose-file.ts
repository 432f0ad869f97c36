import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { MAX_CONFIG_BYTES } from '../config/parse-yaml.js';
import { UsageError } from '../errors/devenv-error.js';
import {
  allEnvFileRefs,
  COMPOSE_FILE_NAMES,
  type ComposeFile,
  parseComposeFile,
} from './parse-compose-file.js';

/** A Compose file and the env files it names (path relative to the project → text; missing ones absent). */
export interface ReadCompose {
  file: ComposeFile;
  envFiles: Map<string, string>;
}

/**
 * The thin file-system side of `import compose`: finds the file (the one named, else Compose's default
 * names in the project folder), reads it and the env files it names. `undefined` when none is named and
 * none exists.
 */
export function readComposeFile(projectDir: string, cwd: string, named?: string): ReadCompose | undefined {
  const path = named === undefined ? findComposeFile(projectDir) : resolve(cwd, named);
  if (path === undefined) return undefined;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    throw new UsageError('COMPOSE_NOT_FOUND', `no Compose file at ${named ?? path}`, {
      hint: 'name an existing file: `devenv import compose path/to/compose.yaml`',
    });
  }
  if (stat.size > MAX_CONFIG_BYTES)
    throw new UsageError(
      'COMPOSE_UNREADABLE',
      `${named ?? path} is larger than 1 MiB: is it a Compose file?`,
    );
  const shown = toPosix(relative(projectDir, path));
  const dir = toPosix(relative(projectDir, resolve(path, '..'))) || '.';
  const file = parseComposeFile(readFileSync(path, 'utf8'), shown, dir);
  const envFiles = new Map<string, string>();
  for (const ref of allEnvFileRefs(file)) {
    const full = resolve(projectDir, ref.path);
    if (statSync(full, { throwIfNoEntry: false })?.isFile())
      envFiles.set(ref.path, readFileSync(full, 'utf8'));
  }
  return { file, envFiles };
}

function findComposeFile(projectDir: string): string | undefined {
  return COMPOSE_FILE_NAMES.map((name) => join(projectDir, name)).find(
    (path) => statSync(path, { throwIfNoEntry: false })?.isFile() === true,
  );
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
