import type Docker from 'dockerode';
import type { BuildOptions } from '../container-runtime.js';
import { buildFailedError } from '../runtime-errors.js';
import { dockerfileInContext } from './dockerfile-in-context.js';
import { LineSplitter } from './line-splitter.js';
import { mapDockerError } from './map-docker-error.js';
import { listBuildContext, packBuildContext } from './pack-build-context.js';
import { readJsonLines } from './read-json-lines.js';
import { type ProgressMessage, toPullProgress } from './to-pull-progress.js';

/** One message of the classic builder's stream: output text, base-image pull progress, the result, or an error. */
interface BuildMessage extends ProgressMessage {
  stream?: string;
  aux?: { ID?: string };
}

/** Builds an image from a directory, honouring its `.dockerignore`; resolves with the image id. */
export async function buildImage(
  docker: Docker,
  options: BuildOptions,
  endpoint: string,
): Promise<{ imageId: string }> {
  const { context, tag, signal, onProgress } = options;
  // A generated Dockerfile, or one outside the context, goes into the tar under a name in it.
  const { dockerfile, dockerfileContents, dockerignore, sentDockerignore } =
    await dockerfileInContext(options);
  const extra = [
    ...(dockerfileContents === undefined ? [] : [{ name: dockerfile, contents: dockerfileContents }]),
    ...(sentDockerignore === undefined ? [] : [{ name: '.dockerignore', contents: sentDockerignore }]),
  ];
  let files: string[];
  try {
    files = await listBuildContext(context, dockerfile, options.ignore, dockerignore);
    // They replace any file of that name in the folder.
    files = files.filter((file) => !extra.some((added) => added.name === file));
  } catch (error) {
    throw buildFailedError(
      tag,
      `cannot read the build context ${context}: ${(error as Error).message}`,
      error,
    );
  }

  const output = new LineSplitter();
  const lastLines: string[] = [];
  const emit = (text: string) => {
    lastLines.push(text);
    if (lastLines.length > 20) lastLines.shift();
    onProgress?.({ kind: 'output', text });
  };
  let imageId: string | undefined;
  // A file that changes while it is packed (a growing log) breaks the upload; the engine then sees a
  // dropped connection, but the cause is on this side and is what the user must hear.
  const tarball = packBuildContext(context, files, extra);
  let packError: Error | undefined;
  tarball.once('error', (error: Error) => {
    packError = error;
  });
  try {
    const stream = await docker.buildImage(tarball, {
      t: tag,
      dockerfile,
      ...(options.target ? { target: options.target } : {}),
      buildargs: { ...options.buildArgs },
      labels: { ...options.labels },
      // The engine removes intermediate containers of failed steps too, so nothing of a failed build leaks.
      forcerm: true,
      ...(signal ? { abortSignal: signal } : {}),
    });
    for await (const message of readJsonLines(stream) as AsyncIterable<BuildMessage>) {
      if (message.error !== undefined) {
        for (const line of output.end()) emit(line);
        throw buildFailedError(tag, message.errorDetail?.message ?? message.error);
      }
      if (message.stream !== undefined) for (const line of output.push(message.stream)) emit(line);
      else if (message.aux?.ID) imageId = message.aux.ID;
      else if (message.status !== undefined) onProgress?.({ kind: 'pull', ...toPullProgress(tag, message) });
    }
    for (const line of output.end()) emit(line);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (packError) {
      throw buildFailedError(
        tag,
        `could not send the build context ${context}: ${packError.message} (a file changing while it is read? list it in .dockerignore)`,
        packError,
      );
    }
    throw mapDockerError(error, { action: `build ${tag}`, endpoint });
  }
  if (!imageId)
    throw buildFailedError(
      tag,
      `the builder finished without an image id. Last output:\n${lastLines.join('\n')}`,
    );
  return { imageId };
}
