import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireSupervisorLock, liveLockHolder, readLockHolder } from './supervisor-lock.js';
import { supervisorPaths } from './supervisor-paths.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devenv-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('acquireSupervisorLock', () => {
  it('writes the pid and removes it on release', async () => {
    const pidFile = join(dir, 'env', 'supervisor.pid');
    const lock = await acquireSupervisorLock(pidFile, 4242);
    expect((await readLockHolder(pidFile))?.pid).toBe(4242);
    await lock.release();
    expect(await readLockHolder(pidFile)).toBeUndefined();
  });

  it('refuses while a live process holds it', async () => {
    const pidFile = join(dir, 'supervisor.pid');
    await writeFile(pidFile, `${process.pid}\n`);
    await expect(acquireSupervisorLock(pidFile, 1)).rejects.toMatchObject({ code: 'SUPERVISOR_RUNNING' });
  });

  it('takes over a stale lock left by a killed supervisor', async () => {
    const pidFile = join(dir, 'supervisor.pid');
    await writeFile(pidFile, '999999999\n');
    const lock = await acquireSupervisorLock(pidFile, 77);
    expect((await readFile(pidFile, 'utf8')).trim()).toBe('77');
    await lock.release();
  });

  it.runIf(process.platform === 'linux')(
    'records the start time, and is not fooled by a reused pid',
    async () => {
      const pidFile = join(dir, 'supervisor.pid');
      const lock = await acquireSupervisorLock(pidFile);
      const holder = await readLockHolder(pidFile);
      expect(holder?.pid).toBe(process.pid);
      expect(holder?.started).toMatch(/^\d+$/);
      expect(await liveLockHolder(pidFile)).toBe(process.pid);
      await lock.release();
      // A killed supervisor's pid, since given to a process that started at another time (this one).
      await writeFile(pidFile, `${process.pid} 1\n`);
      expect(await liveLockHolder(pidFile)).toBeUndefined();
      const taken = await acquireSupervisorLock(pidFile, 79);
      expect((await readLockHolder(pidFile))?.pid).toBe(79);
      await taken.release();
    },
  );

  it('lets exactly one of many takers at once have it', async () => {
    const pidFile = join(dir, 'supervisor.pid');
    const takers = await Promise.allSettled(
      Array.from({ length: 20 }, () => acquireSupervisorLock(pidFile, process.pid)),
    );
    expect(takers.filter((taker) => taker.status === 'fulfilled')).toHaveLength(1);
    for (const taker of takers) {
      if (taker.status === 'rejected') expect(taker.reason).toMatchObject({ code: 'SUPERVISOR_RUNNING' });
    }
  });

  it.runIf(process.platform === 'linux')(
    'takes over a lock whose holder is a zombie nobody reaped',
    async () => {
      // `sleep 0.01` exits at once; its parent (sh, then exec'd into `sleep 5`) never waits for it, as a
      // PID 1 that does not reap orphans would not: it stays a zombie, which `kill(pid, 0)` still finds.
      const parent = spawn('sh', ['-c', 'sleep 0.01 & echo $!; exec sleep 5'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      try {
        const [line] = (await once(parent.stdout, 'data')) as [Buffer];
        const zombie = Number(line.toString().trim());
        await sleep(200);
        expect((await readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ')[1]?.[0]).toBe('Z');
        const pidFile = join(dir, 'supervisor.pid');
        await writeFile(pidFile, `${zombie}\n`);
        const lock = await acquireSupervisorLock(pidFile, 78);
        expect((await readLockHolder(pidFile))?.pid).toBe(78);
        await lock.release();
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );
});

describe('supervisorPaths', () => {
  it('keeps socket paths short whatever the names, and separates environments', () => {
    const env = { DEVENV_STATE_DIR: '/state', XDG_RUNTIME_DIR: '/run/user/0' };
    const long = supervisorPaths('p'.repeat(63), `${'b'.repeat(63)}`, env, 0);
    expect(long.socket.length).toBeLessThan(60);
    expect(long.dir).toBe(`/state/${'p'.repeat(63)}/${'b'.repeat(63)}`);
    expect(supervisorPaths('shop', 'default', env, 0).socket).not.toBe(
      supervisorPaths('shop', 'feat', env, 0).socket,
    );
  });
});
