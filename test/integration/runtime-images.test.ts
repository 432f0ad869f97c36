import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors/devenv-error.js';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import type { BuildProgress, PullProgress } from '../../src/runtime/runtime-streams.js';
import { removeImageReferences } from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { HUB_ADDRESS, HUB_MIRROR_URL } from '../support/hub.js';

// Images through the real engine: pulls go through its registry mirror (the offline hub), builds
// send a context filtered by .dockerignore. Built images are tagged per run and removed afterwards.
const RUN = randomBytes(4).toString('hex');
const LABELS = { 'devenv.test': 'runtime', 'devenv.project': `rt-${RUN}` };
// A repository only these tests use, kept in the hub between runs (one small layer, pushed once).
const FRESH_REF = `${HUB_ADDRESS}/devenv-test/runtime-pull:1`;

const runtime = new DockerRuntime();
const oracle = testEngine();
const tags: string[] = [];
const dirs: string[] = [];

afterAll(async () => {
  const containers = await runtime.listContainers(LABELS);
  for (const c of containers) await runtime.removeContainer(c.id, { force: true });
  for (const tag of tags) await runtime.removeImage(tag);
  await removeImageReferences(oracle, [FRESH_REF]);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('DockerRuntime with images', () => {
  it('pulls through the mirror with per-layer progress', async () => {
    const events: PullProgress[] = [];
    await runtime.pullImage('redis:8', { onProgress: (p) => events.push(p) });
    // Up to date already (the hub's stand-in): the engine reports on the image, not on its layers.
    expect(events.at(-1)).toMatchObject({ ref: 'redis:8', phase: 'info', layer: undefined });
    expect(events.at(-1)?.status).toMatch(/up to date|Downloaded newer image/);

    await ensureFreshImageInHub();
    await removeImageReferences(oracle, [FRESH_REF]);
    expect(await runtime.imageExists(FRESH_REF)).toBe(false);
    const fresh: PullProgress[] = [];
    await runtime.pullImage(FRESH_REF, { onProgress: (p) => fresh.push(p) });
    expect(await runtime.imageExists(FRESH_REF)).toBe(true);
    const downloading = fresh.filter((e) => e.phase === 'downloading');
    expect(downloading.length).toBeGreaterThan(0);
    expect(
      downloading.every((e) => e.layer && e.total && e.current !== undefined && e.current <= e.total),
    ).toBe(true);
    expect(fresh.some((e) => e.phase === 'done' && e.layer === downloading[0]?.layer)).toBe(true);
  });

  it('names an image that exists in no registry the engine consults', async () => {
    const ref = `devenv-test/does-not-exist-${RUN}:1`;
    const error = await failure(runtime.pullImage(ref));
    expect(error.code).toBe('IMAGE_NOT_FOUND');
    expect(error.message).toContain(`"${ref}"`);
    expect(error.message).toContain(HUB_MIRROR_URL);

    const direct = await failure(runtime.pullImage(`${HUB_ADDRESS}/devenv-test/does-not-exist-${RUN}:1`));
    expect(direct.code).toBe('IMAGE_NOT_FOUND');
  });

  it('builds with the .dockerignore applied, a target and build arguments', async () => {
    const context = await contextDir({
      Dockerfile:
        'FROM redis:8 AS base\nARG GREETING\nRUN echo "$GREETING" > /greeting\nCOPY . /ctx/\n' +
        'FROM base AS broken\nRUN exit 1\n',
      '.dockerignore': 'secret.txt\n**/*.log\n!sub/keep.log\nDockerfile\n',
      'keep.txt': 'kept',
      'secret.txt': 'must not reach the engine',
      'sub/keep.log': 'kept by an exception',
      'sub/drop.log': 'ignored',
    });
    const tag = `devenv-test/runtime-build-${RUN}:1`;
    tags.push(tag);
    const output: BuildProgress[] = [];
    const { imageId } = await runtime.buildImage({
      context,
      tag,
      target: 'base',
      buildArgs: { GREETING: 'hello' },
      labels: LABELS,
      onProgress: (p) => output.push(p),
    });
    expect(imageId).toMatch(/^sha256:/);
    expect(output.some((p) => p.kind === 'output' && p.text.startsWith('Step 1/'))).toBe(true);
    expect((await oracle.getImage(tag).inspect()).Config.Labels).toMatchObject(LABELS);

    const { id } = await runtime.createContainer({
      name: `devenv-rt-${RUN}-built`,
      image: tag,
      labels: LABELS,
    });
    await runtime.startContainer(id);
    const files = await runtime.exec(id, ['sh', '-c', 'cat /greeting; cd /ctx && find . -type f | sort']);
    // As with `docker build`: the Dockerfile is sent but, being ignored, not copied; .dockerignore is not ignored.
    expect(files.stdout.split('\n')).toEqual([
      'hello',
      './.dockerignore',
      './keep.txt',
      './sub/keep.log',
      '',
    ]);
  });

  it('builds with a Dockerfile outside the context, applying the ignore file beside it', async () => {
    const root = await contextDir({
      'ext.Dockerfile': 'FROM redis:8\nCOPY . /ctx/\n',
      'ext.Dockerfile.dockerignore': '*.log\n',
      'big/.dockerignore': 'keep.txt\n',
      'big/keep.txt': "kept: the context's own .dockerignore does not apply",
      'big/drop.log': 'ignored',
    });
    const tag = `devenv-test/runtime-outside-${RUN}:1`;
    tags.push(tag);
    await runtime.buildImage({
      context: join(root, 'big'),
      dockerfile: '../ext.Dockerfile',
      tag,
      labels: LABELS,
    });
    const { id } = await runtime.createContainer({
      name: `devenv-rt-${RUN}-outside`,
      image: tag,
      labels: LABELS,
    });
    await runtime.startContainer(id);
    const files = await runtime.exec(id, ['sh', '-c', 'cd /ctx && find . -type f | sort']);
    // As with `docker build -f`: the Dockerfile travels under a name the sent .dockerignore lists, so
    // the builder reads it and COPY leaves it out.
    expect(files.stdout.split('\n')).toEqual(['./.dockerignore', './keep.txt', '']);
  });

  it('reports a failing build step with BUILD_FAILED', async () => {
    const context = await contextDir({ Dockerfile: 'FROM redis:8\nRUN echo about to fail && exit 7\n' });
    const tag = `devenv-test/runtime-broken-${RUN}:1`;
    tags.push(tag);
    const output: string[] = [];
    const error = await failure(
      runtime.buildImage({ context, tag, onProgress: (p) => p.kind === 'output' && output.push(p.text) }),
    );
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toContain('7');
    expect(output).toContain('about to fail');
  });

  it('stops a build when aborted', async () => {
    const context = await contextDir({ Dockerfile: 'FROM redis:8\nRUN echo started && sleep 60\n' });
    const tag = `devenv-test/runtime-aborted-${RUN}:1`;
    tags.push(tag);
    const controller = new AbortController();
    const started = Date.now();
    const reason = new Error('stop');
    const result = runtime.buildImage({
      context,
      tag,
      signal: controller.signal,
      onProgress: (p) => p.kind === 'output' && p.text === 'started' && controller.abort(reason),
    });
    await expect(result).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

async function failure(promise: Promise<unknown>): Promise<ExternalError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExternalError);
  return error as ExternalError;
}

async function contextDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'devenv-rt-build-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

// A pull only reports bytes for layers the engine lacks: the hub keeps one image whose top layer exists
// nowhere else, built and pushed by the first run (random content, so no other image shares it).
async function ensureFreshImageInHub(): Promise<void> {
  const manifest = await fetch(`${HUB_MIRROR_URL}/v2/devenv-test/runtime-pull/manifests/1`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (manifest.ok) return;
  const context = await contextDir({
    Dockerfile: 'FROM redis:8\nRUN head -c 2000000 /dev/urandom > /blob\n',
  });
  await runtime.buildImage({ context, tag: FRESH_REF, labels: LABELS });
  // The engine insists on an auth header even for a registry that needs none.
  const repository = FRESH_REF.slice(0, FRESH_REF.lastIndexOf(':'));
  const stream = await oracle
    .getImage(repository)
    .push({ tag: '1', authconfig: { serveraddress: HUB_ADDRESS } });
  await new Promise<void>((resolve, reject) =>
    oracle.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
      const failed = error ?? events.find((e) => e.error);
      if (failed) reject(failed instanceof Error ? failed : new Error(failed.error));
      else resolve();
    }),
  );
}
