import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerIds, DevenvProject } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { freePort, get, waitFor } from '../support/http.js';

const docker = testEngine();

/** Answers with its own pid, so a test can tell whether a service was restarted. */
const SERVER = `require('node:http')
  .createServer((_, res) => res.end(String(process.pid)))
  .listen(process.env.PORT, '127.0.0.1');
`;

interface Status {
  resources: { name: string; state: string }[];
}

describe('devenv up NAME… / --profile (real processes, real engine)', () => {
  let project: DevenvProject;
  afterAll(async () => {
    await project?.dispose(docker);
  });

  it('starts what is named with what it needs, adds to what runs, and `down` forgets the selection', async () => {
    const [api, web, worker] = [await freePort(), await freePort(), await freePort()];
    const file = (extraImage: string) => `
dependencies:
  cache: { preset: redis }
  extra: { image: "${extraImage}" }
services:
  api: { run: node server.js, port: ${api}, ready: { http: / }, depends_on: [cache] }
  web: { run: node server.js, port: ${web}, ready: { http: / } }
  worker: { run: node server.js, port: ${worker}, ready: { http: / } }
profiles:
  default: [api, web]
  jobs: [worker]
`;
    project = new DevenvProject(file('redis:8'));
    project.env = { DEVENV_ROUTER_PORT: String(await freePort()) };
    writeFileSync(join(project.dir, 'server.js'), SERVER);
    const running = () =>
      (JSON.parse(project.run(['status', '--json']).stdout) as Status).resources
        .filter((resource) => resource.state === 'ready')
        .map((resource) => resource.name)
        .sort();

    // A name: only it (web needs nothing), no container for the dependency it does not need.
    const first = project.run(['up', '-d', 'web']);
    expect(first.stderr + first.stdout).not.toContain('error');
    expect(first.code).toBe(0);
    expect(running()).toEqual(['web']);
    expect(await containerIds(docker, project.name)).toEqual({});
    const webPid = await get(`http://127.0.0.1:${web}/`);
    const unselected = project.run(['logs', 'worker']);
    expect(unselected.code).toBe(2);
    expect(unselected.stderr).toContain('worker is in devenv.yaml, but');
    expect(unselected.stderr).toContain('`devenv up worker` starts it');

    // A profile is added to what runs; web keeps its process.
    expect(project.run(['up', '-d', '--profile', 'jobs']).code).toBe(0);
    expect(running()).toEqual(['web', 'worker']);
    expect(await get(`http://127.0.0.1:${web}/`)).toBe(webPid);

    // An unknown name changes nothing and says what exists.
    const typo = project.run(['up', '-d', 'wrker']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown dependency or service `wrker`');
    expect(typo.stderr).toContain('did you mean `worker`?');
    expect(running()).toEqual(['web', 'worker']);

    // Plain `up` adds the defaults (api, and the cache it depends on), still keeping worker.
    expect(project.run(['up', '-d']).code).toBe(0);
    expect(running()).toEqual(['api', 'cache', 'web', 'worker']);
    expect(Object.keys(await containerIds(docker, project.name))).toEqual(['cache']);
    expect(await get(`http://127.0.0.1:${web}/`)).toBe(webPid);
    const urls = JSON.parse(project.run(['urls', '--json']).stdout) as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(['api', 'web', 'worker']);

    // `down` resets: the next `up worker` runs worker alone.
    expect(project.run(['down']).code).toBe(0);
    expect(project.run(['up', '-d', 'worker']).code).toBe(0);
    expect(running()).toEqual(['worker']);
    expect(await containerIds(docker, project.name)).toEqual({});

    // A selection whose start failed is remembered: the reload after the fix starts it.
    project.write(file('redis:no-such-tag'));
    const failed = project.run(['up', '-d', 'extra']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('redis:no-such-tag');
    project.write(file('redis:8'));
    await waitFor(async () => running().includes('extra'), 30_000);
    expect(running()).toEqual(['extra', 'worker']);
  });
});
