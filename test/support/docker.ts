import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** Labels as a dockerode `label` filter (`key=value`). */
function labelFilter(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/**
 * Removes the containers (with their anonymous volumes) and the named volumes that carry all of
 * `labels`, and nothing else: the engine is shared with other tests and other people.
 */
export async function removeLabelled(docker: Docker, labels: Record<string, string>): Promise<void> {
  const filters = { label: labelFilter(labels) };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map(async ({ Id }) => {
      try {
        await docker.getContainer(Id).remove({ force: true, v: true });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }),
  );
  const { Volumes } = await docker.listVolumes({ filters });
  await Promise.all(
    (Volumes ?? []).map(async ({ Name }) => {
      try {
        await docker.getVolume(Name).remove();
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }),
  );
}

/** Whether the engine has an image under `reference`. */
export async function imageExists(docker: Docker, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Removes the image references (tags) given. Forced, so a tag goes even when a stopped container uses
 * the image; the engine keeps an image that a running container uses and only drops the tag.
 */
export async function removeImageReferences(docker: Docker, references: readonly string[]): Promise<void> {
  for (const reference of references) {
    try {
      await docker.getImage(reference).remove({ force: true });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

interface PullEvent {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** `docker pull`, the way the CLI does it: through the engine, so through its registry mirrors. */
export async function pullImage(docker: Docker, reference: string): Promise<PullEvent[]> {
  const stream = await docker.pull(reference);
  const events = await new Promise<PullEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: PullEvent[]) =>
      error ? reject(error) : resolve(output),
    );
  });
  const failure = events.find((event) => event.error !== undefined);
  if (failure)
    throw new Error(`pulling ${reference} failed: ${failure.errorDetail?.message ?? failure.error}`);
  return events;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in a running container and collects its output and exit code. */
export async function execIn(container: Docker.Container, cmd: string[]): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return {
    exitCode: ExitCode ?? -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** The host port the engine published for `containerPort` (e.g. `5432/tcp`). */
export async function publishedPort(container: Docker.Container, containerPort: string): Promise<number> {
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports?.[containerPort]?.[0];
  if (!binding) throw new Error(`container ${info.Name} publishes no host port for ${containerPort}`);
  return Number(binding.HostPort);
}
