import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { DevenvProject } from './devenv-project.js';

/**
 * A dependency-free Node server for preview tests: answers with message.txt (the branch's own code),
 * its DEVENV_URL, the host of DATABASE_URL and the request headers it received (what a proxy in front
 * passed on), and /healthz for readiness.
 */
export const PREVIEW_SERVER = `const http = require('node:http');
const fs = require('node:fs');
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({
    message: fs.readFileSync(__dirname + '/message.txt', 'utf8').trim(),
    url: process.env.DEVENV_URL,
    webUrl: process.env.DEVENV_URL_WEB,
    db: new URL(process.env.DATABASE_URL).host,
    headers: req.headers,
  }));
}).listen(Number(process.env.PORT));
`;

export const PREVIEW_YAML = `
dependencies:
  db:
    preset: postgres
services:
  web:
    run: node server.cjs
    port: 8080
    env:
      DATABASE_URL: \${db.url}
    ready:
      http: /healthz
`;

/** A devenv project that is a git repository, for previews of its branches. */
export class PreviewProject extends DevenvProject {
  constructor(yaml = PREVIEW_YAML) {
    super(yaml);
    writeFileSync(join(this.dir, 'server.cjs'), PREVIEW_SERVER);
    writeFileSync(join(this.dir, 'message.txt'), 'main\n');
    this.git(['init', '-q', '-b', 'main']);
    this.commitAll('init');
  }

  git(args: readonly string[]): string {
    return execFileSync(
      'git',
      ['-C', this.dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args],
      {
        encoding: 'utf8',
      },
    );
  }

  commitAll(message: string): void {
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--allow-empty', '-m', message]);
  }

  /** Checks out (creating) `branch` with message.txt saying `message`, committed. */
  branch(branch: string, message: string): void {
    this.git(['checkout', '-q', '-B', branch]);
    writeFileSync(join(this.dir, 'message.txt'), `${message}\n`);
    this.commitAll(message);
  }
}

/** Everything on the engine labelled with a preview id (images too). */
export async function previewResources(docker: Docker, id: string) {
  const filters = { label: [`devenv.preview=${id}`] };
  const [containers, networks, volumes, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    docker.listImages({ filters }),
  ]);
  return { containers, networks, volumes: volumes.Volumes ?? [], images };
}

/** Removes what a failed test may have left for the preview ids (nothing else). */
export async function sweepPreviews(docker: Docker, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const { containers, networks, volumes, images } = await previewResources(docker, id);
    for (const c of containers) await docker.getContainer(c.Id).remove({ force: true, v: true });
    for (const n of networks) await docker.getNetwork(n.Id).remove();
    for (const v of volumes) await docker.getVolume(v.Name).remove();
    for (const i of images)
      await docker
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

/** The 127.0.0.1 port the engine published `containerPort` of the container on. */
export function publishedPort(container: Docker.ContainerInfo, containerPort: number): number {
  const port = container.Ports.find((p) => p.PrivatePort === containerPort && p.PublicPort !== undefined);
  if (port === undefined) throw new Error(`${container.Names[0]} does not publish ${containerPort}`);
  return port.PublicPort;
}
