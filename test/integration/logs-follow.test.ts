import { afterAll, describe, expect, it } from 'vitest';
import { DevenvProject } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { waitFor } from '../support/wait.js';

const docker = testEngine();

const withCache = (value: string): string => `
dependencies:
  cache:
    preset: redis
    env:
      MARK: ${value}
`;

describe('devenv logs -f on the real engine', () => {
  const project = new DevenvProject(withCache('one'));
  afterAll(() => project.dispose(docker));

  it('keeps following a recreated dependency and ends when the environment is taken down', async () => {
    expect(project.run(['up', '-d']).code).toBe(0);
    const follow = project.start(['logs', '-f', 'cache']);
    const exited = new Promise<number | null>((resolve) => follow.once('exit', resolve));
    const ready = (): number =>
      follow.output().match(/^cache \| .*Ready to accept connections/gm)?.length ?? 0;
    await waitFor('the first container’s lines', async () => (ready() >= 1 ? true : undefined));

    // A changed dependency is a new container under the same name.
    project.write(withCache('two'));
    expect(project.run(['up', '-d']).code).toBe(0);
    await waitFor('the new container’s lines', async () => (ready() >= 2 ? true : undefined));
    expect(follow.output()).toContain('devenv: cache was recreated; following its new container.');
    expect(follow.exitCode).toBeNull();

    expect(project.run(['down']).code).toBe(0);
    expect(await exited).toBe(0);
    expect(follow.output()).toContain(
      `devenv: ${project.name}/default is not running (taken down); stopped following.`,
    );
  });
});
