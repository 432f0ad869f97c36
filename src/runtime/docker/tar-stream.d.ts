// tar-stream (a dependency of tar-fs) ships no types; this declares the part devenv uses (copy-files.ts).
declare module 'tar-stream' {
  import type { Readable } from 'node:stream';

  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    type?: 'file' | 'directory';
  }

  export interface Pack extends Readable {
    entry(headers: Headers, buffer: Buffer, callback?: (error?: Error) => void): void;
    finalize(): void;
  }

  export function pack(): Pack;
}
