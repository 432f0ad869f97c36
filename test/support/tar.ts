/** One regular file for {@link tarArchive}. */
export interface TarFile {
  /** Path inside the archive, relative (e.g. `10-schema.sql`); at most 100 bytes. */
  name: string;
  content: string | Buffer;
  /** Unix permissions; 0o644 unless given. */
  mode?: number;
}

const BLOCK = 512;

/**
 * A minimal ustar archive of regular files, e.g. for `container.putArchive` (copying files into a
 * container works with any engine, local or remote, unlike bind mounts).
 */
export function tarArchive(files: readonly TarFile[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    const header = Buffer.alloc(BLOCK);
    if (Buffer.byteLength(file.name) > 100) throw new Error(`tar: name too long: ${file.name}`);
    header.write(file.name, 0, 100, 'utf8');
    header.write(octal(file.mode ?? 0o644, 8), 100);
    header.write(octal(0, 8), 108); // uid
    header.write(octal(0, 8), 116); // gid
    header.write(octal(content.length, 12), 124);
    header.write(octal(Math.floor(Date.now() / 1000), 12), 136);
    header.write('        ', 148); // checksum placeholder: eight spaces
    header.write('0', 156); // regular file
    header.write('ustar\u000000', 257);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148);
    blocks.push(header, content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
