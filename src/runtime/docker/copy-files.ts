import { readFile, stat } from 'node:fs/promises';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import type { CopiedFile } from '../container-runtime.js';

/**
 * Copies host files into a running container through the engine API (a tar extracted at `/`), so it
 * works the same with a remote engine as with a local one; no bind mount involved.
 */
export async function copyFiles(container: Docker.Container, files: readonly CopiedFile[]): Promise<void> {
  const archive = pack();
  for (const file of files) {
    const [content, info] = await Promise.all([readFile(file.source), stat(file.source)]);
    archive.entry(
      {
        name: file.destination.replace(/^\/+/, ''),
        size: content.length,
        mode: info.mode & 0o7777,
        mtime: info.mtime,
      },
      content,
    );
  }
  archive.finalize();
  await container.putArchive(archive, { path: '/' });
}
