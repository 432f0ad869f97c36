import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildFingerprint, fileStamp, fingerprintInputs, fingerprintOf } from '../build-fingerprint.js';
import type { FingerprintOptions } from '../container-runtime.js';
import { buildFailedError } from '../runtime-errors.js';
import { dockerfileInContext } from './dockerfile-in-context.js';
import { listBuildContext } from './pack-build-context.js';

/** Files stat'ed at once: enough to hide the latency of each call, few enough to stay under fd limits. */
const CONCURRENCY = 64;

/**
 * What `buildImage` would send, summarised without reading file contents: the same file list
 * (`.dockerignore` applied), each file's size, mode and modification time, and the options that
 * change the result. A checkout or an editor save changes the modification time, so a rebuild may
 * follow an edit that restored the same bytes; the engine's layer cache makes that rebuild cheap.
 */
export async function buildFingerprint(options: FingerprintOptions): Promise<BuildFingerprint> {
  // An outside Dockerfile's text counts (it is not among the context's files), as do its own ignore rules.
  const { dockerfile, dockerfileContents, dockerignore } = await dockerfileInContext(options);
  const files = new Map<string, string>();
  try {
    const skipped = new Set(options.skip ?? []);
    const listed = (await listBuildContext(options.context, dockerfile, options.ignore, dockerignore)).filter(
      (file) => !skipped.has(file),
    );
    for (let start = 0; start < listed.length; start += CONCURRENCY) {
      const batch = listed.slice(start, start + CONCURRENCY);
      // lstat: a symbolic link is sent as a link, so its own entry is what the build sees, and a
      // dangling one (an editor's lock file) is no error. A file gone since it was listed counts as gone.
      const stats = await Promise.all(batch.map((file) => lstat(join(options.context, file)).catch(gone)));
      batch.forEach((file, index) => {
        files.set(file, fileStamp(stats[index]));
      });
    }
  } catch (error) {
    throw buildFailedError(
      options.tag,
      `cannot read the build context ${options.context}: ${(error as Error).message}`,
      error,
    );
  }
  return fingerprintOf(fingerprintInputs({ ...options, dockerfile, dockerfileContents }), files);
}

function gone(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
