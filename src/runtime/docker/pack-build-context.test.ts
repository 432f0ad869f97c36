import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listBuildContext } from './pack-build-context.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function context(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'devenv-context-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

describe('listBuildContext', () => {
  it('sends everything without a .dockerignore', async () => {
    const dir = await context({ Dockerfile: '', 'src/a.ts': '', 'src/deep/b.ts': '' });
    expect(await listBuildContext(dir, 'Dockerfile')).toEqual(['Dockerfile', 'src/a.ts', 'src/deep/b.ts']);
  });

  it('applies Docker’s rules, exceptions included, and always sends the Dockerfile and .dockerignore', async () => {
    const dir = await context({
      'docker/app.Dockerfile': '',
      '.dockerignore': '.git\nnode_modules\n*.log\n!keep.log\ndocker\n.dockerignore\n',
      '.git/HEAD': '',
      'node_modules/x/index.js': '',
      'a.log': '',
      'keep.log': '',
      'src/index.ts': '',
    });
    expect(await listBuildContext(dir, 'docker/app.Dockerfile')).toEqual([
      '.dockerignore',
      'docker/app.Dockerfile',
      'keep.log',
      'src/index.ts',
    ]);
  });

  it('looks inside an ignored directory when an exception may bring a file back', async () => {
    const dir = await context({
      Dockerfile: '',
      '.dockerignore': 'vendor\n!vendor/keep.txt\n',
      'vendor/keep.txt': '',
      'vendor/drop.txt': '',
    });
    expect(await listBuildContext(dir, 'Dockerfile')).toEqual([
      '.dockerignore',
      'Dockerfile',
      'vendor/keep.txt',
    ]);
  });
});
