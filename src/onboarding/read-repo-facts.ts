import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { parse } from 'yaml';
import { envFileNames } from '../config/env-file.js';
import { isRecord } from './is-record.js';
import { readComposeFile } from './read-compose-file.js';
import type { PackageFacts, RepoFacts, TextFile } from './repo-facts.js';

// devenv's own layers, lowest precedence first, then the examples a repository commits instead.
const ENV_FILE_NAMES = [
  ...envFileNames('development'),
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.dist',
];
const DOCKERFILE = /^Dockerfile(\..+)?$|\.Dockerfile$/i;
const ENTRY_FILES = ['server', 'index', 'app', 'main'].flatMap((name) =>
  ['js', 'mjs', 'cjs', 'ts'].flatMap((ext) => [`${name}.${ext}`, `src/${name}.${ext}`]),
);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'vendor', 'coverage']);
/** Reads at most this much of a source file when looking for `process.env.PORT`. */
const SOURCE_LIMIT = 256 * 1024;

/**
 * The thin file-system side of `devenv init`: reads what it looks at (package.json files, Dockerfiles,
 * .env files, a Compose file) and nothing else; the decisions are `draftFromRepo`'s. Only the project
 * folder, its workspaces and its direct subfolders are looked at, so it stays fast on a big repository.
 */
export function readRepoFacts(projectDir: string, cwd: string): RepoFacts {
  const root = readPackage(projectDir, '.');
  const unexpanded: string[] = [];
  const packageDirs: string[] = [];
  if (root) {
    for (const pattern of workspacePatterns(projectDir, root.raw)) {
      const expanded = expandPattern(projectDir, pattern);
      if (expanded === undefined) unexpanded.push(pattern);
      else packageDirs.push(...expanded);
    }
  } else {
    // No root package.json: a folder per app (`api/`, `web/`) is the usual layout.
    packageDirs.push(...subfolders(projectDir, '.'));
  }
  const packages: PackageFacts[] = [];
  if (root) packages.push(root.facts);
  for (const dir of [...new Set(packageDirs)].sort()) {
    const pkg = readPackage(projectDir, dir);
    if (pkg) packages.push(pkg.facts);
  }

  const folders = [...new Set(['.', ...subfolders(projectDir, '.'), ...packages.map((p) => p.dir)])];
  const dockerfiles: TextFile[] = [];
  const envFiles: TextFile[] = [];
  for (const dir of folders) {
    for (const entry of entries(join(projectDir, dir))) {
      if (entry.isFile() && DOCKERFILE.test(entry.name))
        dockerfiles.push(readText(projectDir, posix.join(dir, entry.name)));
    }
    for (const name of ENV_FILE_NAMES) {
      const path = posix.join(dir, name);
      if (statSync(join(projectDir, path), { throwIfNoEntry: false })?.isFile())
        envFiles.push(readText(projectDir, path));
    }
  }
  const compose = readComposeFile(projectDir, cwd);
  return {
    folderName: basename(projectDir),
    packageManager: packageManager(projectDir),
    packages,
    unexpandedWorkspaces: unexpanded,
    dockerfiles,
    envFiles,
    ...(compose ? { compose } : {}),
  };
}

function readPackage(
  projectDir: string,
  dir: string,
): { facts: PackageFacts; raw: Record<string, unknown> } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(projectDir, dir, 'package.json'), 'utf8'));
  } catch {
    return undefined; // no package.json, or one npm itself could not read: nothing to learn from it
  }
  if (!isRecord(raw)) return undefined;
  const scripts = isRecord(raw.scripts)
    ? Object.fromEntries(
        Object.entries(raw.scripts).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : {};
  const dependencies = [raw.dependencies, raw.devDependencies].flatMap((deps) =>
    isRecord(deps) ? Object.keys(deps) : [],
  );
  const main = typeof raw.main === 'string' ? [raw.main] : [];
  const readsPortEnv = [...main, ...ENTRY_FILES].some((file) => mentionsPort(join(projectDir, dir, file)));
  return {
    raw,
    facts: {
      dir,
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      scripts,
      dependencies,
      readsPortEnv,
    },
  };
}

function mentionsPort(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > SOURCE_LIMIT) return false;
  return /process\.env\.PORT\b|process\.env\[['"]PORT['"]\]|\bDeno\.env\.get\(['"]PORT/.test(
    readFileSync(path, 'utf8'),
  );
}

/** `workspaces` of package.json (a list, or `{packages}`), else pnpm-workspace.yaml's `packages`. */
function workspacePatterns(projectDir: string, pkg: Record<string, unknown>): string[] {
  const declared = Array.isArray(pkg.workspaces)
    ? pkg.workspaces
    : isRecord(pkg.workspaces) && Array.isArray(pkg.workspaces.packages)
      ? pkg.workspaces.packages
      : undefined;
  if (declared) return declared.filter((p): p is string => typeof p === 'string' && !p.startsWith('!'));
  try {
    const pnpm: unknown = parse(readFileSync(join(projectDir, 'pnpm-workspace.yaml'), 'utf8'));
    if (isRecord(pnpm) && Array.isArray(pnpm.packages))
      return pnpm.packages.filter((p): p is string => typeof p === 'string' && !p.startsWith('!'));
  } catch {
    // no pnpm workspace file
  }
  return [];
}

/** `apps/web` or `apps/*`; `undefined` for anything deeper, which the caller reports. */
function expandPattern(projectDir: string, pattern: string): string[] | undefined {
  const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  if (!clean.includes('*')) return [clean];
  const match = /^([^*]+)\/\*$/.exec(clean);
  return match?.[1] === undefined ? undefined : subfolders(projectDir, match[1]);
}

function subfolders(projectDir: string, dir: string): string[] {
  return entries(join(projectDir, dir))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name))
    .map((e) => (dir === '.' ? e.name : posix.join(dir, e.name)))
    .sort();
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    // A folder `init` may not read (or one gone meanwhile) shows nothing to draft from; not an error.
    return [];
  }
}

function readText(projectDir: string, path: string): TextFile {
  return { path, text: readFileSync(join(projectDir, path), 'utf8') };
}

function packageManager(projectDir: string): RepoFacts['packageManager'] {
  const has = (name: string) =>
    statSync(join(projectDir, name), { throwIfNoEntry: false })?.isFile() === true;
  if (has('pnpm-lock.yaml')) return 'pnpm';
  if (has('yarn.lock')) return 'yarn';
  if (has('bun.lockb') || has('bun.lock')) return 'bun';
  return 'npm';
}
