import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGroupAlive, signalGroup } from '../process/process-group.js';
import { groupsRecorder, killLeftoverGroups } from './process-groups-file.js';

let dir: string;
let file: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devenv-groups-'));
  file = join(dir, 'groups.json');
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.pid) signalGroup(child.pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** A process group of its own, as a service runs in: `sleep`, leading it. */
function group(): number {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('sleep did not start');
  return child.pid;
}

async function recorded(
  record: (pids: readonly number[]) => void,
  pids: readonly number[],
): Promise<unknown> {
  record(pids);
  // The recorder writes in the background; wait until the file holds this list.
  for (let tries = 0; tries < 200; tries++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text !== '' && (JSON.parse(text) as { pid: number }[]).map((g) => g.pid).join() === pids.join()) {
      return JSON.parse(text);
    }
    await sleep(5);
  }
  throw new Error(`${file} never held ${pids.join()}`);
}

describe('killLeftoverGroups', () => {
  it('ends the groups a killed supervisor recorded, and empties the file', async () => {
    const pgid = group();
    await recorded(
      groupsRecorder(file, () => undefined),
      [pgid],
    );
    const lines: string[] = [];
    await killLeftoverGroups(file, (line) => lines.push(line));
    await sleep(50);
    expect(await isGroupAlive(pgid)).toBe(false);
    expect(lines).toEqual([`ending process group ${pgid} left by a previous supervisor`]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'leaves alone a group whose leader pid now belongs to a process started at another time',
    async () => {
      const pgid = group();
      // What the file would hold had a service with this pid run before, and its pid been reused since.
      await writeFile(file, JSON.stringify([{ pid: pgid, started: '1' }]));
      const lines: string[] = [];
      await killLeftoverGroups(file, (line) => lines.push(line));
      expect(await isGroupAlive(pgid)).toBe(true);
      expect(lines).toEqual([
        `process group ${pgid} is no longer a service's (its pid was reused): left alone`,
      ]);
    },
  );

  it('still reads the bare pids older versions wrote', async () => {
    const pgid = group();
    await writeFile(file, JSON.stringify([pgid]));
    await killLeftoverGroups(file, () => undefined);
    await sleep(50);
    expect(await isGroupAlive(pgid)).toBe(false);
  });

  it('ignores a missing or torn file', async () => {
    await killLeftoverGroups(file, () => undefined);
    await writeFile(file, '[{"pid": 12');
    await expect(killLeftoverGroups(file, () => undefined)).resolves.toBeUndefined();
  });
});

describe('groupsRecorder', () => {
  it('records each leader with its start time, and the latest list wins', async () => {
    const [a, b] = [group(), group()];
    const record = groupsRecorder(file, () => undefined);
    record([a]);
    record([a, b]);
    const groups = (await recorded(record, [b])) as { pid: number; started?: string }[];
    expect(groups.map((g) => g.pid)).toEqual([b]);
    if (process.platform === 'linux') expect(groups[0]?.started).toMatch(/^\d+$/);
  });
});
