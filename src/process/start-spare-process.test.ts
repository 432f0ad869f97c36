import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isPidAlive } from './process-group.js';
import type { OutputLine, RunningProcess } from './start-process.js';
import { sameLaunch, startSpareProcess } from './start-spare-process.js';
import { warmStartEnv } from './warm-start-env.js';

/** Real spares of a real `node`: what the preload does is the point. */
const dir = mkdtempSync(join(tmpdir(), 'devenv-spare-'));
const started: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop(500)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A service that leaves a file when its code runs, says what NODE_OPTIONS it and its own Node child
 * see, and whether stdin is at EOF.
 */
const SERVICE = `
require('node:fs').writeFileSync('loaded', String(process.pid));
const { execFileSync } = require('node:child_process');
const child = execFileSync(process.execPath, ['-e', 'console.log(JSON.stringify(process.env.NODE_OPTIONS ?? null))']);
console.log('own ' + JSON.stringify(process.env.NODE_OPTIONS ?? null));
console.log('child ' + child.toString().trim());
console.log('marker ' + Object.keys(process.env).filter((key) => key.startsWith('DEVENV_')).join(','));
console.log('stdin ' + require('node:fs').readFileSync(0).length);
`;

async function spare(name: string, env: Record<string, string>) {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'service.js'), SERVICE);
  const proc = await startSpareProcess({
    command: ['sh', '-c', 'node service.js'],
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  started.push(proc);
  return { proc, loaded: join(cwd, 'loaded') };
}

const PRELOAD = fileURLToPath(new URL('./warm-start-preload.cjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startSpareProcess', () => {
  it('runs none of the service code before `go`, then the code on disk at that moment', async () => {
    const { proc, loaded } = await spare('go', {});
    await sleep(500); // Node is up by now and waiting in the preload
    expect(existsSync(loaded)).toBe(false);
    expect(await isPidAlive(proc.pid)).toBe(true);

    writeFileSync(join(dir, 'go', 'service.js'), `console.log('edited');\n${SERVICE}`);
    const lines: OutputLine[] = [];
    proc.go((line) => lines.push(line));
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    await proc.stop(500);
    expect(existsSync(loaded)).toBe(true);
    expect(lines.map((l) => l.text)).toEqual([
      'edited',
      'own null',
      'child null',
      'marker ',
      'stdin 0', // EOF after the go byte, as /dev/null gave a cold start
    ]);
  });

  it("gives the service and its Node children the user's NODE_OPTIONS unchanged", async () => {
    const own = '--max-old-space-size=200 --title="my api"';
    const { proc } = await spare('options', { NODE_OPTIONS: own });
    const lines: string[] = [];
    proc.go((line) => lines.push(line.text));
    await proc.exited;
    await proc.stop(500);
    expect(lines.slice(0, 2)).toEqual([`own ${JSON.stringify(own)}`, `child ${JSON.stringify(own)}`]);
  });

  it('ends quietly, without running the code, when its supervisor dies and the pipe closes', async () => {
    const cwd = join(dir, 'orphan');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'service.js'), SERVICE);
    const env = warmStartEnv({ PATH: process.env.PATH ?? '' }, PRELOAD);
    // A stand-in supervisor: starts a spare the way devenv does, says its pid, then is killed outright.
    const supervisor = spawn(
      process.execPath,
      [
        '-e',
        `const spare = require('node:child_process').spawn('node', ['service.js'], {
           detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: ${JSON.stringify(env)} });
         console.log(spare.pid); setInterval(() => {}, 1000);`,
      ],
      { cwd, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const sparePid = await new Promise<number>((resolve) =>
      supervisor.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    await sleep(300);
    expect(await isPidAlive(sparePid)).toBe(true);
    supervisor.kill('SIGKILL');
    const deadline = Date.now() + 5_000;
    while ((await isPidAlive(sparePid)) && Date.now() < deadline) await sleep(10);
    expect(await isPidAlive(sparePid)).toBe(false);
    expect(existsSync(join(cwd, 'loaded'))).toBe(false);
  });

  it('holds output printed before `go` for the run it becomes', async () => {
    const { proc } = await spare('warning', { NODE_OPTIONS: '--no-such-flag-for-sure' });
    const lines: string[] = [];
    // Node refuses the unknown option before any preload: the spare dies and says why, to nobody yet.
    await proc.exited;
    proc.go((line) => lines.push(line.text));
    await proc.stop(500);
    expect(lines.join('\n')).toContain('--no-such-flag-for-sure');
  });
});

describe('sameLaunch', () => {
  const launch = { command: ['sh', '-c', 'node a.js'], cwd: '/repo', env: { A: '1', B: '2' } };
  it('is equal only with the same command, cwd and environment', () => {
    expect(sameLaunch(launch, { ...launch, env: { B: '2', A: '1' } })).toBe(true);
    expect(sameLaunch(launch, { ...launch, command: ['sh', '-c', 'node b.js'] })).toBe(false);
    expect(sameLaunch(launch, { ...launch, cwd: '/repo/api' })).toBe(false);
    expect(sameLaunch(launch, { ...launch, env: { A: '1', B: '3' } })).toBe(false);
    expect(sameLaunch(launch, { ...launch, env: { A: '1' } })).toBe(false);
    expect(sameLaunch(launch, { ...launch, env: { A: '1', B: '2', C: '' } })).toBe(false);
  });
});
