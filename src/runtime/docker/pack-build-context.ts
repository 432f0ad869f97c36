import { access, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import { pack } from 'tar-fs';

/**
 * The files of a build context, as the docker CLI would send them: `.dockerignore` rules applied
 * (with Docker's own matcher, the one dockerode uses), and the Dockerfile and `.dockerignore` always
 * included because the builder needs them even when the rules exclude them. `ignoreFile` is the
 * file whose rules apply: the context's unless a Dockerfile outside it has its own
 * (`dockerfileInContext`).
 */
export async function listBuildContext(
  context: string,
  dockerfile: string,
  defaults: readonly string[] = [],
  ignoreFile = join(context, '.dockerignore'),
): Promise<string[]> {
  const rules = [...defaults, await readDockerignore(ignoreFile)].join('\n');
  // The package's types describe an ES default export of its CommonJS factory, which it also sets as `.default`.
  const ignore = dockerignore.default({ ignorecase: false }).add(rules);
  // Without `!` exceptions nothing below an ignored directory can come back, so it is not even read.
  const canPrune = !rules.split('\n').some((line) => line.trim().startsWith('!'));
  const files: string[] = [];

  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = toPosix(relative(context, join(dir, entry.name)));
      if (entry.isDirectory()) {
        if (!(canPrune && ignore.ignores(path))) await walk(join(dir, entry.name));
      } else if (!ignore.ignores(path)) {
        files.push(path);
      }
    }
  };
  await walk(context);

  for (const always of [toPosix(dockerfile), '.dockerignore']) {
    if (!files.includes(always) && (await exists(join(context, always)))) files.push(always);
  }
  return files.sort();
}

/**
 * A tar stream of the listed files (directories are created implicitly by the builder), plus `extra`
 * files (a generated Dockerfile, the `.dockerignore` naming it) written into the archive only, never
 * into the folder.
 */
export function packBuildContext(
  context: string,
  files: string[],
  extra: readonly { name: string; contents: string }[] = [],
): Readable {
  if (extra.length === 0) return pack(context, { entries: files });
  return pack(context, {
    entries: files,
    finalize: false,
    finish: (archive) => {
      const add = (index: number): void => {
        const file = extra[index];
        if (file === undefined) archive.finalize();
        else archive.entry({ name: file.name, mode: 0o644 }, file.contents, () => add(index + 1));
      };
      add(0);
    },
  });
}

async function readDockerignore(path: string): Promise<string> {
  return (await readIfExists(path)) ?? '';
}

/** A text file's contents, or undefined when there is no such file (any other failure is thrown). */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function toPosix(path: string): string {
  return path.split(sep).join(posix.sep);
}
