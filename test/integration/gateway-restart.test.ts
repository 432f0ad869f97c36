import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewRecord } from '../../src/preview/preview-contract.js';
import { testEngine } from '../support/engine.js';
import { FakePreviews } from '../support/preview-fixtures.js';
import { freePort, send } from '../support/router-upstreams.js';
import { waitFor } from '../support/wait.js';

// `devenv serve` and `devenv preview share` as a user runs them (the built binary): the gateway keeps
// nothing that matters in memory, so killing and restarting it keeps every preview and every cookie.

const launcher = fileURLToPath(new URL('../../bin/devenv.js', import.meta.url));
const docker = testEngine();
const dir = mkdtempSync(join(tmpdir(), 'devenv-gw-'));
const env = { ...process.env, DEVENV_STATE_DIR: join(dir, '.state'), NO_COLOR: '1' };
let previews: FakePreviews;
let main: PreviewRecord;
let feature: PreviewRecord;
let port: number;
const running = new Set<ChildProcess>();

const hostOf = (record: PreviewRecord): string => record.services[0]?.host ?? '';

function devenv(args: readonly string[]) {
  return spawnSync(process.execPath, [launcher, '-C', dir, ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Starts `devenv serve` and resolves once it listens. */
async function serve(): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(
    process.execPath,
    [launcher, 'serve', '--port', String(port), '--address', '127.0.0.1', '--project', previews.project],
    { env },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(
    'devenv serve to listen',
    async () => (output.includes('gateway listening') ? true : undefined),
    {
      timeoutMs: 30_000,
    },
  );
  return Object.assign(child, { output: () => output });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', resolve));
}

beforeAll(async () => {
  port = await freePort();
  previews = new FakePreviews(docker, `gw.localhost:${port}`);
  writeFileSync(
    join(dir, 'devenv.yaml'),
    `name: ${previews.project}\nservices:\n  web:\n    run: node web.js\n    port: 3000\n`,
  );
  main = previews.record('main');
  feature = previews.record('feature/ü-unicode/slashes');
  for (const record of [main, feature]) {
    await previews.writeRecord(record);
    await previews.startService(record, 'web');
  }
});

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await previews?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('devenv serve', () => {
  it('keeps every preview reachable across a kill and a restart, cookies included', async () => {
    const share = devenv(['preview', 'share', '--branch', 'main']);
    expect(share.stderr).toBe('');
    expect(share.status).toBe(0);
    const link = share.stdout.trim();
    expect(link).toMatch(
      new RegExp(`^http://${hostOf(main).replace(/\./g, '\\.')}:${port}/\\.devenv/share\\?token=`),
    );
    const header = devenv([
      'preview',
      'share',
      '--branch',
      'feature/ü-unicode/slashes',
      '--header',
      '--ttl',
      '30m',
    ]);
    expect(header.status).toBe(0);
    const [name, token] = header.stdout.trim().split(': ');
    expect(name).toBe('X-Devenv-Preview-Token');

    const first = await serve();
    const redirect = await send(port, hostOf(main), { path: link.replace(/^http:\/\/[^/]+/, '') });
    expect(redirect.status).toBe(303);
    const cookie = String(redirect.headers['set-cookie']).split(';')[0] ?? '';
    const check = async () => {
      const answers = await Promise.all([
        send(port, hostOf(main), { headers: { cookie } }),
        send(port, hostOf(feature), { headers: { 'x-devenv-preview-token': token ?? '' } }),
      ]);
      return answers.map((answer) => `${answer.status} ${answer.body}`);
    };
    const expected = ['200 main/web GET /', '200 feature/ü-unicode/slashes/web GET /'];
    expect(await check()).toEqual(expected);

    first.kill('SIGKILL');
    await exited(first);
    expect(first.output()).not.toContain(token);
    expect(first.output()).toContain('token=[redacted]');

    const second = await serve();
    expect(await check()).toEqual(expected);

    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(second.output()).toContain('gateway stopped');
  });

  it('preview share names what is missing', () => {
    const missing = devenv(['preview', 'share', '--branch', 'never-previewed']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('No preview of branch never-previewed');
    const service = devenv(['preview', 'share', '--branch', 'main', '--service', 'nope']);
    expect(service.status).toBe(2);
    expect(service.stderr).toContain('no HTTP service nope');
  });
});
