import type Docker from 'dockerode';
import type { LogsOptions } from '../container-runtime.js';
import { containerNotFoundError } from '../runtime-errors.js';
import type { LogLine } from '../runtime-streams.js';
import { LogLineDecoder } from './log-line-decoder.js';
import { mapDockerError, statusCode } from './map-docker-error.js';

/**
 * A container's output as lines. Ends when the output does (the container stopped, or `follow` is
 * off) or when `signal` aborts; a consumer breaking out of its loop closes the request too.
 */
export async function* streamLogs(
  docker: Docker,
  id: string,
  options: LogsOptions,
  endpoint: string,
): AsyncGenerator<LogLine> {
  const { signal } = options;
  if (signal?.aborted) return;
  const container = docker.getContainer(id);
  let body: NodeJS.ReadableStream | Buffer;
  let decoder: LogLineDecoder;
  try {
    // Only containers without a TTY multiplex stdout and stderr.
    const { Config } = await container.inspect();
    decoder = new LogLineDecoder({ multiplexed: !Config.Tty });
    body = await container.logs({
      follow: options.follow ?? false,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(options.since ? { since: options.since.getTime() / 1000 } : {}),
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(signal ? { abortSignal: signal } : {}),
      // dockerode's overloads key the return type on a literal `follow`; the union is handled below.
    } as Docker.ContainerLogsOptions & { follow: true });
  } catch (error) {
    if (signal?.aborted) return;
    if (statusCode(error) === 404) throw containerNotFoundError(id, error);
    throw mapDockerError(error, { action: `read the logs of ${id}`, endpoint });
  }

  if (Buffer.isBuffer(body)) {
    yield* decoder.push(body);
    yield* decoder.end();
    return;
  }
  try {
    for await (const chunk of body) yield* decoder.push(chunk as Buffer);
    yield* decoder.end();
  } catch (error) {
    if (signal?.aborted) return;
    throw mapDockerError(error, { action: `stream the logs of ${id}`, endpoint });
  } finally {
    // Stops a followed request when the consumer stops reading early.
    (body as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
}
