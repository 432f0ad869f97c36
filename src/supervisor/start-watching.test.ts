import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadEnvironment } from '../config/load-environment.js';
import { systemClock } from '../util/clock.js';
import { startWatching } from './start-watching.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('startWatching', () => {
  it('reports a change to an env_files entry as a config change, also when .gitignore lists it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devenv-start-watching-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'config'));
    await mkdir(join(dir, 'secrets'));
    await writeFile(join(dir, '.gitignore'), 'secrets/\n');
    await writeFile(join(dir, 'config/shared.env'), 'GREETING=one\n');
    await writeFile(join(dir, 'secrets/local.env'), 'TOKEN=a\n');
    await writeFile(
      join(dir, 'devenv.yaml'),
      `name: app
env_files: [config/shared.env, secrets/local.env]
services:
  api:
    run: node server.js
    env: { GREETING: "\${GREETING}" }
`,
    );
    const { environment } = loadEnvironment({ cwd: dir, environment: {} });
    expect(environment.envFiles).toEqual(['config/shared.env', 'secrets/local.env']);

    const changed: string[][] = [];
    const log: string[] = [];
    const watcher = await startWatching({
      current: () => environment,
      clock: systemClock,
      onConfigChanged: (files) => changed.push([...files]),
      onAction: () => {},
      log: (line) => log.push(line),
    });
    cleanups.push(() => watcher.close());

    await writeFile(join(dir, 'config/shared.env'), 'GREETING=two\n');
    await vi.waitUntil(() => changed.length > 0, { timeout: 3_000, interval: 10 });
    await writeFile(join(dir, 'secrets/local.env'), 'TOKEN=b\n');
    await vi.waitUntil(() => changed.length > 1, { timeout: 3_000, interval: 10 });
    expect(changed).toEqual([['config/shared.env'], ['secrets/local.env']]);
    expect(log).toEqual([]);
  });
});
