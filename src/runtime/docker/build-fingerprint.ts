import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FingerprintOptions } from '../container-runtime.js';
import { buildFailedError } from '../runtime-errors.js';
import { listBuildContext } from './pack-build-context.js';

/** Files stat'ed at once: enough to hide the latency of each call, few enough to stay under fd limits. */
const CONCURRENCY = 64;

/**
 * What `buildImage` would send, summarised without reading file contents: the same file list
 * (`.dockerignore` applied), each file's size, mode and modification time, and the options that
 * change the result. A checkout or an editor save changes the modification time, so a rebuild may
 * follow an edit that restored the same bytes; the engine's layer cache makes that rebuild cheap.
 */
function gone(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

export async function buildFingerprint(options: FingerprintOptions): Promise<string> {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      dockerfile,
      dockerfileContents: options.dockerfileContents ?? null,
      target: options.target ?? null,
      args: Object.entries(options.buildArgs ?? {}).sort(([a], [b]) => a.localeCompare(b)),
      ignore: options.ignore ?? [],
    }),
  );
  try {
    const files = await listBuildContext(options.context, dockerfile, options.ignore);
    for (let start = 0; start < files.length; start += CONCURRENCY) {
      const batch = files.slice(start, start + CONCURRENCY);
      // lstat: a symbolic link is sent as a link, so its own entry is what the build sees, and a
      // dangling one (an editor's lock file) is no error. A file gone since it was listed counts as gone.
      const stats = await Promise.all(batch.map((file) => lstat(join(options.context, file)).catch(gone)));
      batch.forEach((file, index) => {
        const info = stats[index];
        hash.update(info ? `\n${file}\0${info.size}\0${info.mode}\0${info.mtimeMs}` : `\n${file}\0gone`);
      });
    }
  } catch (error) {
    throw buildFailedError(
      options.tag,
      `cannot read the build context ${options.context}: ${(error as Error).message}`,
      error,
    );
  }
  return hash.digest('hex').slice(0, 16);
}
