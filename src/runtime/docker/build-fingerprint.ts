import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
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
      const stats = await Promise.all(batch.map((file) => stat(join(options.context, file))));
      batch.forEach((file, index) => {
        const info = stats[index];
        if (info) hash.update(`\n${file}\0${info.size}\0${info.mode}\0${info.mtimeMs}`);
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
