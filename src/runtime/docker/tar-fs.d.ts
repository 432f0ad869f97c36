// tar-fs ships no types; this declares the one function devenv uses (see pack-build-context.ts).
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';

  export interface PackOptions {
    /** Paths relative to the packed directory; only these are archived. */
    entries?: string[];
  }

  export function pack(cwd: string, options?: PackOptions): Readable;
}
