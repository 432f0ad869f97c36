import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerIds, DevenvProject } from '../support/devenv-project.js';
import { testEngine } from '../support/engine.js';
import { freePort, get, waitFor } from '../support/http.js';

const docker = testEngine();

/**
 * A tiny HTTP server inside the stand-in redis:8 image (Debian with perl-base): it answers every
 * request with /app/message.txt, read per request, plus the image's BUILD_MARK, so a test can tell a
 * synced file (new body, same container) from a rebuilt image (new mark).
 */
const serverPl = `use IO::Socket::INET;
my $s = IO::Socket::INET->new(LocalPort => $ENV{PORT}, Listen => 16, ReuseAddr => 1) or die "listen: $!";
print "serving on $ENV{PORT}\\n"; $| = 1;
while (my $c = $s->accept) {
  while (my $line = <$c>) { last if $line =~ /^\\r?\\n$/ }
  open(my $f, '<', '/app/message.txt'); local $/; my $m = <$f> // ''; close $f;
  my $b = "$m $ENV{BUILD_MARK}";
  print $c "HTTP/1.0 200 OK\\r\\nContent-Length: " . length($b) . "\\r\\n\\r\\n$b"; close $c;
}
`;

const dockerfile = (mark: string) => `FROM redis:8
ENV BUILD_MARK=${mark}
COPY app /app
ENTRYPOINT []
CMD ["perl", "/app/server.pl"]
`;

/**
 * A project whose one service `name` is built from `dockerfile('one')` with `server` and `message` in
 * app/, on a free host port, ready when it answers HTTP; `watch` is the service's watch rules (YAML).
 */
async function builtServiceProject(
  name: string,
  watch: string,
  server: string,
  message: string,
): Promise<{ project: DevenvProject; url: string }> {
  const port = await freePort();
  const project = new DevenvProject(`
services:
  ${name}:
    build: .
    port: { container: 8080, host: ${port} }
    ready: { http: / }
    watch:
${watch}`);
  mkdirSync(join(project.dir, 'app'));
  writeFileSync(join(project.dir, 'app', 'server.pl'), server);
  writeFileSync(join(project.dir, 'app', 'message.txt'), message);
  writeFileSync(join(project.dir, 'Dockerfile'), dockerfile('one'));
  return { project, url: `http://127.0.0.1:${port}/` };
}

/** Its containers, volumes and network, and the image devenv built for `service`. */
async function disposeWithImage(project: DevenvProject | undefined, service: string): Promise<void> {
  if (!project) return;
  await project.dispose(docker);
  await docker
    .getImage(`devenv/${project.name}-${service}:default`)
    .remove({ force: true })
    .catch(() => undefined);
}

describe('container services (build:, sync, rebuild) on the real engine', () => {
  let project: DevenvProject;
  let url: string;
  afterAll(() => disposeWithImage(project, 'web'));

  it('builds the image, runs it on the environment network and reports it ready', async () => {
    ({ project, url } = await builtServiceProject(
      'web',
      `      - paths: app
        action: sync
        target: /app
      - paths: Dockerfile
        action: rebuild
`,
      serverPl,
      'hello',
    ));

    const result = project.run(['up', '-d']);
    expect(result.stderr).toContain('environment ready');
    expect(result.code).toBe(0);
    expect(await get(url)).toBe('hello one');
  });

  it('sync copies an edited file into the running container: new response, same container, no rebuild', async () => {
    const before = await containerIds(docker, project.name);
    writeFileSync(join(project.dir, 'app', 'message.txt'), 'synced');
    await waitFor(async () => (await get(url).catch(() => '')) === 'synced one');
    expect(await containerIds(docker, project.name)).toEqual(before);
  });

  it('rebuild on a Dockerfile change builds a new image and replaces the container', async () => {
    const before = await containerIds(docker, project.name);
    writeFileSync(join(project.dir, 'Dockerfile'), dockerfile('two'));
    await waitFor(async () => (await get(url).catch(() => '')) === 'synced two', 60_000);
    const after = await containerIds(docker, project.name);
    expect(after.web).not.toBe(before.web);
    const status = JSON.parse(project.run(['status', '--json']).stdout) as {
      resources: { name: string; state: string; lastReloadMs?: number | null }[];
    };
    expect(status.resources.find((r) => r.name === 'web')).toMatchObject({ state: 'ready' });
  });

  it('the next up keeps a container sync brought up to date, rebuilds for a file no rule covers, and builds in what changed while the environment was down', async () => {
    writeFileSync(join(project.dir, 'app', 'message.txt'), 'again');
    await waitFor(async () => (await get(url).catch(() => '')) === 'again two');
    const before = await containerIds(docker, project.name);
    const attached = project.run(['up', '-d', '--json']);
    expect(attached.code).toBe(0);
    expect(attached.stdout).toContain('"web: keep"');
    expect(await containerIds(docker, project.name)).toEqual(before);

    // devenv.yaml is in the build context (`build: .`), but its edits reach services through devenv.
    appendFileSync(join(project.dir, 'devenv.yaml'), '# a comment\n');
    expect(project.run(['up', '-d', '--json']).stdout).toContain('"web: keep"');

    // A file no rule covers, then a synced one: the sync must not vouch for the other file.
    writeFileSync(join(project.dir, 'notes.txt'), 'unwatched');
    writeFileSync(join(project.dir, 'app', 'message.txt'), 'again!');
    await waitFor(async () => (await get(url).catch(() => '')) === 'again! two');
    expect(project.run(['up', '-d', '--json']).stdout).toContain('"web: recreate (build context changed)"');
    expect(await get(url)).toBe('again! two');

    expect(project.run(['down']).code).toBe(0);
    writeFileSync(join(project.dir, 'Dockerfile'), dockerfile('three'));
    const next = project.run(['up', '-d']);
    expect(next.code).toBe(0);
    expect(await get(url)).toBe('again! three');
    const unchanged = project.run(['up', '-d', '--json']);
    expect(unchanged.stdout).toContain('"web: keep"');
    expect(unchanged.stdout).not.toContain('"building"');
  });
});

/** Like `serverPl`, but reads the message once at start: only a restart serves an edit. */
const startupServerPl = `use IO::Socket::INET;
open(my $f, '<', '/app/message.txt'); my $m = do { local $/; <$f> }; close $f;
my $s = IO::Socket::INET->new(LocalPort => $ENV{PORT}, Listen => 16, ReuseAddr => 1) or die "listen: $!";
print "serving $m\\n"; $| = 1;
while (my $c = $s->accept) {
  while (my $line = <$c>) { last if $line =~ /^\\r?\\n$/ }
  my $b = "$m $$";
  print $c "HTTP/1.0 200 OK\\r\\nContent-Length: " . length($b) . "\\r\\n\\r\\n$b"; close $c;
}
`;

describe('container service with sync + restart (restart in place)', () => {
  let project: DevenvProject;
  afterAll(() => disposeWithImage(project, 'api'));

  it('restarts the process inside the same running container: new response, new process, same container start', async () => {
    const built = await builtServiceProject(
      'api',
      `      - paths: app
        action: sync
        target: /app
      - paths: app
        action: restart
`,
      startupServerPl,
      'first',
    );
    project = built.project;
    const url = built.url;
    expect(project.run(['up', '-d']).code).toBe(0);
    const [first, oldPid] = (await get(url)).split(' ');
    expect(first).toBe('first');
    const before = await containerIds(docker, project.name);
    const startedBefore = (await docker.getContainer(before.api ?? '').inspect()).State.StartedAt;

    writeFileSync(join(project.dir, 'app', 'message.txt'), 'second');
    await waitFor(async () => (await get(url).catch(() => '')).startsWith('second '));
    const [, newPid] = (await get(url)).split(' ');
    expect(newPid).not.toBe(oldPid);
    expect(await containerIds(docker, project.name)).toEqual(before);
    const after = await docker.getContainer(before.api ?? '').inspect();
    expect(after.State.StartedAt).toBe(startedBefore);
    await waitFor(async () => {
      const status = JSON.parse(project.run(['status', '--json']).stdout) as {
        resources: { name: string; state: string; lastReloadMs?: number | null }[];
      };
      const api = status.resources.find((r) => r.name === 'api');
      return api?.state === 'ready' && typeof api.lastReloadMs === 'number';
    });
    expect(project.run(['down']).code).toBe(0);
  });
});

describe('a container devenv stops itself', () => {
  let project: DevenvProject | undefined;
  afterAll(() => project?.dispose(docker));

  it('is not reported as crashed when its process ignores SIGTERM and is killed after the timeout', async () => {
    // `sleep` as PID 1 has no SIGTERM handler, so the engine kills it after the stop timeout: 137.
    const service = (mark: string) => `
services:
  api:
    image: redis:8
    command: [sleep, "1000"]
    env: { MARK: ${mark} }
`;
    project = new DevenvProject(service('one'));
    const first = project.run(['up', '-d']);
    expect(first.code, first.stderr).toBe(0);

    const before = await containerIds(docker, project.name);

    // The supervisor's reload recreates it (new env); `devenv restart` stops and starts it.
    project.write(service('two'));
    await waitFor(async () => (await containerIds(docker, project?.name ?? '')).api !== before.api, 60_000);
    await waitFor(async () => /api +service +ready/.test(project?.run(['status']).stdout ?? ''), 30_000);
    const restart = project.run(['restart', 'api']);
    expect(restart.code, restart.stderr).toBe(0);
    // The engine's `die` arrives on its own stream: give it time to be (wrongly) reported.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const status = project.run(['status']).stdout;
    expect(status).not.toContain('crashed');
    // One for the recreate, one for the restart; a crash in between would count again.
    expect(status).toMatch(/api +service +ready +restarts 2/);
  });
});
