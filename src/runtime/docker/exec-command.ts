import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type {
  ExecOptions,
  InteractiveExec,
  InteractiveExecOptions,
  TerminalSize,
} from '../container-runtime.js';
import { containerNotFoundError } from '../runtime-errors.js';
import type { ExecResult } from '../runtime-streams.js';
import { FrameDemuxer } from './demux-frames.js';
import { mapDockerError, statusCode } from './map-docker-error.js';

interface StartedExec {
  exec: Docker.Exec;
  stream: NodeJS.ReadWriteStream;
}

/** Runs a command to completion inside a container and collects its output and exit code. */
export async function execCommand(
  docker: Docker,
  id: string,
  cmd: readonly string[],
  options: ExecOptions,
  endpoint: string,
): Promise<ExecResult> {
  const tty = options.tty ?? false;
  const { exec, stream } = await startExec(
    docker,
    id,
    cmd,
    { ...options, tty, openStdin: options.stdin !== undefined },
    endpoint,
  );
  const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const demuxer = tty ? undefined : new FrameDemuxer();
  const done = pump(stream, options.signal, (chunk) => {
    if (!demuxer) output.stdout.push(chunk);
    else for (const frame of demuxer.push(chunk)) output[frame.stream].push(frame.data);
  });
  if (options.stdin !== undefined) stream.end(options.stdin);
  await done.catch((error: unknown) => {
    throw options.signal?.aborted
      ? options.signal.reason
      : mapDockerError(error, { action: `run ${cmd[0]} in ${id}`, endpoint });
  });
  return {
    exitCode: await exitCodeOf(exec, endpoint),
    stdout: Buffer.concat(output.stdout).toString('utf8'),
    stderr: Buffer.concat(output.stderr).toString('utf8'),
  };
}

/** Runs a command wired to the caller's streams, with terminal resizing. */
export async function execInteractive(
  docker: Docker,
  id: string,
  cmd: readonly string[],
  options: InteractiveExecOptions,
  endpoint: string,
): Promise<InteractiveExec> {
  const { exec, stream } = await startExec(
    docker,
    id,
    cmd,
    { ...options, openStdin: options.stdin !== undefined },
    endpoint,
  );
  const demuxer = options.tty ? undefined : new FrameDemuxer();
  const done = pump(stream, options.signal, (chunk) => {
    if (!demuxer) options.stdout.write(chunk);
    else for (const frame of demuxer.push(chunk)) options[frame.stream].write(frame.data);
  });
  // Forwarding ends with the user's input (e.g. Ctrl-D on a pipe); the command sees end of file.
  options.stdin?.pipe(stream);
  const resize = async ({ columns, rows }: { columns: number; rows: number }) => {
    try {
      await exec.resize({ w: columns, h: rows });
    } catch (error) {
      throw mapDockerError(error, { action: `resize the terminal of ${cmd[0]}`, endpoint });
    }
  };
  if (options.tty && options.size) await resize(options.size);
  const exited = done.then(
    () => exitCodeOf(exec, endpoint),
    (error: unknown) => {
      throw options.signal?.aborted
        ? options.signal.reason
        : mapDockerError(error, { action: `run ${cmd[0]} in ${id}`, endpoint });
    },
  );
  // Unpipe so the caller's stdin (often process.stdin) is left as it was found.
  const finished = exited.finally(() => options.stdin?.unpipe(stream));
  return { resize, exited: finished };
}

async function startExec(
  docker: Docker,
  id: string,
  cmd: readonly string[],
  options: Omit<ExecOptions, 'stdin'> & { tty: boolean; openStdin: boolean; size?: TerminalSize },
  endpoint: string,
): Promise<StartedExec> {
  try {
    const exec = await docker.getContainer(id).exec({
      Cmd: [...cmd],
      Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
      AttachStdin: options.openStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
      ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
      ...(options.user ? { User: options.user } : {}),
      // Engines from API 1.42 size the terminal at creation; older ones only through the resize below,
      // which may land just after the command's first output.
      ...(options.tty && options.size ? { ConsoleSize: [options.size.rows, options.size.columns] } : {}),
    } as Docker.ExecCreateOptions);
    const stream = await exec.start({ hijack: true, stdin: options.openStdin, Tty: options.tty });
    return { exec, stream: stream as NodeJS.ReadWriteStream };
  } catch (error) {
    if (statusCode(error) === 404) throw containerNotFoundError(id, error);
    throw mapDockerError(error, { action: `run ${cmd[0]} in ${id}`, endpoint });
  }
}

/** Feeds every chunk to `onChunk`; resolves at the end of output, rejects on error or abort. */
function pump(
  stream: NodeJS.ReadWriteStream,
  signal: AbortSignal | undefined,
  onChunk: (chunk: Buffer) => void,
) {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      // The engine has no call to kill an exec; closing the connection hangs up on the command.
      (stream as NodeJS.ReadWriteStream & { destroy(): void }).destroy();
      reject(signal?.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (error?: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    stream.on('data', onChunk);
    stream.on('end', () => settle());
    stream.on('error', settle);
  });
}

// The exit code is recorded a moment after the output ends; poll briefly rather than race it.
async function exitCodeOf(exec: Docker.Exec, endpoint: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    let info: Docker.ExecInspectInfo;
    try {
      info = await exec.inspect();
    } catch (error) {
      throw mapDockerError(error, { action: 'read the exit code of a command', endpoint });
    }
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (attempt >= 50)
      throw mapDockerError(new Error('the command did not report an exit code'), {
        action: 'run a command',
        endpoint,
      });
    await sleep(20);
  }
}
