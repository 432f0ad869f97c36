// tar-fs ships no types; this declares the one function devenv uses (see pack-build-context.ts).
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';

  export interface PackOptions {
    /** Paths relative to the packed directory; only these are archived. */
    entries?: string[];
    /** `false` keeps the archive open for `finish` to add entries (then it must call `finalize`). */
    finalize?: boolean;
    /** Called with the tar-stream pack once the listed entries are written. */
    finish?: (pack: TarPack) => void;
  }

  /** The part of tar-stream's pack that `finish` uses. */
  export interface TarPack extends Readable {
    entry(header: { name: string; mode?: number }, contents: string, callback: (error?: Error) => void): void;
    finalize(): void;
  }

  export function pack(cwd: string, options?: PackOptions): Readable;
}
