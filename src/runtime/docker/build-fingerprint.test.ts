import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FingerprintOptions } from '../container-runtime.js';
import { buildFingerprint } from './build-fingerprint.js';

const value = async (options: FingerprintOptions): Promise<string> => (await buildFingerprint(options)).value;

describe('buildFingerprint', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Writes a file with a given modification time (seconds), as an editor save would. */
  const save = async (name: string, text: string, mtime: number) => {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
    await utimes(join(dir, name), mtime, mtime);
  };

  it('changes with what a build would see, and only with that', async () => {
    dir = await mkdtemp(join(tmpdir(), 'devenv-fingerprint-'));
    await save('Dockerfile', 'FROM node:24\nCOPY . .\n', 1000);
    await save('.dockerignore', 'node_modules\n*.log\n', 1000);
    await save('src/app.js', 'one', 1000);
    await save('node_modules/x/index.js', 'x', 1000);
    const options = { context: dir, tag: 'devenv/shop-api:default' };
    const first = await value(options);
    expect(await value(options)).toBe(first);

    // Ignored by .dockerignore: not sent, so no rebuild.
    await save('node_modules/x/index.js', 'y', 2000);
    await save('debug.log', 'noise', 2000);
    expect(await value(options)).toBe(first);

    // A source file, the Dockerfile, a build argument or the target: a rebuild.
    await save('src/app.js', 'two', 2000);
    const edited = await value(options);
    expect(edited).not.toBe(first);
    await save('Dockerfile', 'FROM node:24\nCOPY . .\nRUN true\n', 3000);
    const dockerfile = await value(options);
    expect(dockerfile).not.toBe(edited);
    expect(await value({ ...options, buildArgs: { MODE: 'dev' } })).not.toBe(dockerfile);
    expect(await value({ ...options, target: 'dev' })).not.toBe(dockerfile);
  });

  it('takes a symbolic link as the link the build sends, so a dangling one (an editor lock file) is no error', async () => {
    const options = { context: dir, tag: 'devenv/shop-api:default' };
    const before = await value(options);
    await symlink('root@host.1234:1700000000', join(dir, 'src', '.#app.js'));
    const after = await value(options);
    expect(after).not.toBe(before);
  });

  it("counts a Dockerfile outside the context by its text, and the ignore file beside it instead of the context's", async () => {
    const root = await mkdtemp(join(tmpdir(), 'devenv-fingerprint-outside-'));
    try {
      const write = (name: string, text: string) => writeFile(join(root, name), text);
      await mkdir(join(root, 'big'));
      await write('ext.Dockerfile', 'FROM redis:8\nCOPY . /app\n');
      await write('big/app.txt', 'one');
      await write('big/debug.log', 'noise');
      await write('big/.dockerignore', '');
      const options = {
        context: join(root, 'big'),
        dockerfile: '../ext.Dockerfile',
        tag: 'devenv/x-api:default',
      };
      const first = await value(options);

      await write('ext.Dockerfile', 'FROM redis:8\nCOPY . /app\nRUN true\n');
      const edited = await value(options);
      expect(edited).not.toBe(first);

      // `ext.Dockerfile.dockerignore` applies instead of the context's `.dockerignore`.
      await write('ext.Dockerfile.dockerignore', '*.log\n');
      const ignoring = await value(options);
      expect(ignoring).not.toBe(edited);
      await write('big/debug.log', 'more noise');
      expect(await value(options)).toBe(ignoring);

      await expect(buildFingerprint({ ...options, dockerfile: '../gone.Dockerfile' })).rejects.toThrow(
        `Building devenv/x-api:default failed: cannot read the Dockerfile ${join(root, 'gone.Dockerfile')}`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a context that cannot be read is a build failure naming the image and the folder', async () => {
    await expect(
      buildFingerprint({ context: '/nonexistent/app', tag: 'devenv/shop-api:default' }),
    ).rejects.toThrow(
      'Building devenv/shop-api:default failed: cannot read the build context /nonexistent/app',
    );
  });
});
