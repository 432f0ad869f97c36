import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/engine.js';
import { PreviewProject, previewResources, sweepPreviews } from '../support/preview-project.js';
import { waitFor } from '../support/wait.js';

const docker = testEngine();

// No dependency: the lock is what is tested, not a database's start.
const YAML = `
services:
  web:
    run: node server.cjs
    port: 8080
    ready:
      http: /healthz
`;

describe('devenv preview up of one branch twice at once', () => {
  const project = new PreviewProject(YAML);
  const ids: string[] = [];
  afterAll(async () => {
    project.run(['preview', 'down', '--branch', 'feat/lock'], 60_000);
    await sweepPreviews(docker, ids);
    await project.dispose(docker);
  });

  const exit = (child: ReturnType<PreviewProject['start']>) =>
    new Promise<number | null>((resolve) => child.once('exit', resolve));
  const locks = async () =>
    (await docker.listVolumes({ filters: { label: [`devenv.project=${project.name}`] } })).Volumes?.filter(
      (volume) => volume.Labels?.['devenv.preview.lock'] !== undefined,
    ) ?? [];
  /**
   * Runs `first`, and `second` once `holding` says the first holds the lock; both must end with exit 0
   * and the second must have said it waited for the first (`what` it was running).
   */
  const oneAfterTheOther = async (
    first: string[],
    holding: (output: string) => Promise<boolean>,
    second: string[],
    what: string,
  ) => {
    const one = project.start(first);
    const oneExit = exit(one);
    await waitFor(
      'the first run to hold the lock',
      async () => ((await holding(one.output())) ? true : undefined),
      {
        intervalMs: 20,
      },
    );
    const other = project.start(second);
    const otherExit = exit(other);
    expect(await oneExit, one.output()).toBe(0);
    expect(await otherExit, other.output()).toBe(0);
    expect(other.output()).toMatch(
      new RegExp(`waiting for ${what} of this preview \\(host [^,]+, pid ${one.pid}, since`),
    );
    return { first: one, second: other };
  };
  /** A `preview up` killed (SIGKILL) while it holds the lock, leaving the lock behind. */
  const killedHolder = async () => {
    const killed = project.start(['preview', 'up']);
    const killedExit = exit(killed);
    await waitFor('the run to hold the lock', async () => ((await locks()).length > 0 ? true : undefined), {
      intervalMs: 20,
    });
    killed.kill('SIGKILL');
    await killedExit;
    return killed;
  };

  it('makes the second wait for the first (saying so), then update the same preview', async () => {
    project.branch('feat/lock', 'locked');
    const { first, second } = await oneAfterTheOther(
      ['preview', 'up'],
      async (output) => output.includes('creating preview'),
      ['preview', 'up'],
      'another `preview up`',
    );
    expect(second.output()).toContain('updating preview');

    const id = /preview (\S+) is ready/i.exec(first.output())?.[1] ?? '';
    ids.push(id);
    const { containers } = await previewResources(docker, id);
    expect(containers.filter((c) => c.Labels['devenv.name'] === 'web' && c.State === 'running')).toHaveLength(
      1,
    );
    expect(await locks()).toEqual([]);
  });

  it('takes over the lock of a killed run on this machine at once', async () => {
    project.branch('feat/lock', 'changed'); // a rebuild and a swap: the run holds the lock a while
    const killed = await killedHolder();
    expect(await locks()).toHaveLength(1);

    const next = project.run(['preview', 'up']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`pid ${killed.pid}, since`);
    expect(next.stderr).toContain('is gone: taking over');
    expect(await locks()).toEqual([]);
  });

  it('makes a `preview down` during an up wait for it (saying so), then remove everything', async () => {
    project.branch('feat/lock', 'changed again');
    await oneAfterTheOther(
      ['preview', 'up'],
      async (output) => output.includes('updating preview'),
      ['preview', 'down'],
      'a `preview up`',
    );
    const id = ids[0] ?? '';
    const { containers, networks, volumes } = await previewResources(docker, id);
    expect([...containers, ...networks, ...volumes]).toEqual([]);
    expect(await locks()).toEqual([]);
  });

  it('makes an up during a `preview down` wait for it, then deploy the preview afresh', async () => {
    const created = project.run(['preview', 'up']);
    expect(created.code, created.stderr).toBe(0);
    const { second: up } = await oneAfterTheOther(
      ['preview', 'down'],
      async () =>
        (await locks()).some((lock) => lock.Labels?.['devenv.preview.lock.holder']?.includes('preview down')),
      ['preview', 'up'],
      'a `preview down`',
    );
    expect(up.output()).toContain('creating preview');
    const { containers } = await previewResources(docker, ids[0] ?? '');
    expect(containers.filter((c) => c.Labels['devenv.name'] === 'web' && c.State === 'running')).toHaveLength(
      1,
    );
    expect(await locks()).toEqual([]);
  });

  it('takes over the lock of a killed run in a `preview down`, and leaves no lock behind', async () => {
    project.branch('feat/lock', 'changed once more');
    const killed = await killedHolder();

    const down = project.run(['preview', 'down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(`pid ${killed.pid}, since`);
    expect(down.stderr).toContain('is gone: taking over');
    const { containers, volumes } = await previewResources(docker, ids[0] ?? '');
    expect([...containers, ...volumes]).toEqual([]);
    expect(await locks()).toEqual([]);
  });
});
