import { createHash } from 'node:crypto';
import type { FingerprintOptions } from './container-runtime.js';

/**
 * What a build of a `build:` service would see, summarised without reading file contents
 * (`ContainerRuntime.buildFingerprint`). Equal values: a rebuild would see the same input.
 */
export interface BuildFingerprint {
  value: string;
  /** Digest of the options that change the result: Dockerfile name and text, target, args, ignore rules. */
  inputs: string;
  /**
   * Every file the build would send, relative to the context (posix), in the listing's order → its
   * stamp (`fileStamp`). Kept so a sync can bring one file's entry up to date without a new listing.
   */
  files: ReadonlyMap<string, string>;
}

/** A file's size, mode and modification time; `gone` for a file listed but no longer there. */
export function fileStamp(stats: { size: number; mode: number; mtimeMs: number } | undefined): string {
  return stats ? `${stats.size}\0${stats.mode}\0${stats.mtimeMs}` : 'gone';
}

export function fingerprintInputs(options: FingerprintOptions): string {
  return JSON.stringify({
    dockerfile: options.dockerfile ?? 'Dockerfile',
    dockerfileContents: options.dockerfileContents ?? null,
    target: options.target ?? null,
    args: Object.entries(options.buildArgs ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    ignore: options.ignore ?? [],
    skip: options.skip ?? [],
  });
}

/** Pure: the fingerprint of these inputs and files, in the files' order. */
export function fingerprintOf(inputs: string, files: ReadonlyMap<string, string>): BuildFingerprint {
  const hash = createHash('sha256').update(inputs);
  for (const [file, stamp] of files) hash.update(`\n${file}\0${stamp}`);
  return { value: hash.digest('hex').slice(0, 16), inputs, files };
}
