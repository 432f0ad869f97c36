import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/engine.js';
import { PreviewProject } from '../support/preview-project.js';

const docker = testEngine();

describe('preview commands fail clearly', () => {
  const project = new PreviewProject();
  afterAll(async () => {
    await project.dispose(docker);
  });

  it('without a git branch and without --branch', () => {
    project.git(['checkout', '-q', '--detach']);
    const result = project.run(['preview', 'up']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No git branch is checked out');
    expect(result.stderr).toContain('--branch');
    project.git(['checkout', '-q', 'main']);
  });

  it('for a run: service of a runtime devenv cannot containerise, before touching the engine', () => {
    project.write(`
services:
  worker:
    run: python3 worker.py
    port: 9000
`);
    const result = project.run(['preview', 'up', '--branch', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('python3 worker.py');
    expect(result.stderr).toMatch(/build:.*image:/);
  });

  it('when the engine does not answer', () => {
    project.env = { DOCKER_HOST: 'tcp://127.0.0.1:1' };
    project.write('services:\n  web:\n    run: node server.cjs\n    port: 8080\n');
    const result = project.run(['preview', 'up', '--branch', 'x']);
    // `preview url` contacts nothing: it answers with the engine gone.
    const url = project.run(['preview', 'url', '--branch', 'x', '--domain', 'previews.example.com:8443']);
    project.env = {};
    expect(url.code, url.stderr).toBe(0);
    expect(url.stdout).toMatch(
      new RegExp(`^web  http://web--x-[0-9a-f]{8}\\.${project.name}\\.previews\\.example\\.com:8443\n$`),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/engine|Docker/i);
    expect(result.stderr).toContain('127.0.0.1:1');
  });
});
