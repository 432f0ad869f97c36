import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';

const launcher = fileURLToPath(new URL('../../bin/devenv.js', import.meta.url));

export interface DevenvResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A throw-away repository with its own devenv.yaml, project name and state folder, driven through the
 * built `devenv` binary exactly as a user would. Everything it creates on the engine carries its unique
 * project label, so cleaning up never touches anything else.
 */
export class DevenvProject {
  readonly name = `it-${randomBytes(4).toString('hex')}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'devenv-it-'));
  /** Outside the project: it must not be in a build context or the watched tree (the log grows). */
  readonly stateDir = mkdtempSync(join(tmpdir(), 'devenv-it-state-'));
  env: NodeJS.ProcessEnv = {};

  constructor(yaml: string) {
    this.write(yaml);
  }

  /** Replaces devenv.yaml; `name:` is always this project's unique name. */
  write(yaml: string): void {
    writeFileSync(join(this.dir, 'devenv.yaml'), `name: ${this.name}\n${yaml}`);
  }

  private processEnv(): NodeJS.ProcessEnv {
    return { ...process.env, DEVENV_STATE_DIR: this.stateDir, NO_COLOR: '1', ...this.env };
  }

  run(args: readonly string[], timeoutMs = 150_000): DevenvResult {
    const result = spawnSync(process.execPath, [launcher, ...args], {
      cwd: this.dir,
      env: this.processEnv(),
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (result.error) throw result.error;
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Like `run`, without blocking this process (needed when the test itself serves something devenv uses). */
  async runAsync(args: readonly string[]): Promise<DevenvResult> {
    const child = this.start(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  }

  /** Starts `devenv …` without waiting, for attached runs and interruptions. */
  start(args: readonly string[]): ChildProcess & { output: () => string } {
    const child = spawn(process.execPath, [launcher, ...args], { cwd: this.dir, env: this.processEnv() });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    return Object.assign(child, { output: () => output });
  }

  supervisorPidFile(env = 'default'): string {
    return join(this.stateDir, this.name, env, 'supervisor.pid');
  }

  /** The running supervisor's pid: the first field of its pid file (`pid start-time`). */
  supervisorPid(env = 'default'): number {
    return Number(readFileSync(this.supervisorPidFile(env), 'utf8').trim().split(/\s+/)[0]);
  }

  /** Removes whatever this project left on the engine, then its folder. */
  async dispose(docker: Docker, branches: readonly string[] = []): Promise<void> {
    // `down` also stops the supervisors; the sweep below catches anything a failed test left.
    this.run(['down', '--volumes'], 60_000);
    for (const branch of branches) this.run(['down', '--volumes', '--branch', branch], 60_000);
    const filters = { label: [`devenv.project=${this.name}`] };
    for (const container of await docker.listContainers({ all: true, filters })) {
      await docker.getContainer(container.Id).remove({ force: true, v: true });
    }
    for (const network of await docker.listNetworks({ filters }))
      await docker.getNetwork(network.Id).remove();
    for (const volume of (await docker.listVolumes({ filters })).Volumes ?? [])
      await docker.getVolume(volume.Name).remove();
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** Containers, networks and volumes on the engine carrying the project's label (optionally one env). */
export async function labelled(docker: Docker, project: string, env?: string) {
  const label = [`devenv.project=${project}`, ...(env ? [`devenv.env=${env}`] : [])];
  const filters = { label };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers, networks, volumes: volumes.Volumes ?? [] };
}

/** Container ids by `devenv.name`, for "nothing was recreated" assertions. */
export async function containerIds(
  docker: Docker,
  project: string,
  env = 'default',
): Promise<Record<string, string>> {
  const { containers } = await labelled(docker, project, env);
  return Object.fromEntries(
    containers.map((container) => [container.Labels['devenv.name'] ?? '?', container.Id]),
  );
}
