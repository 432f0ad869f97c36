import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exitCodeFor } from '../errors/exit-code.js';
import { machineHostPorts } from '../host/host-ports.js';
import { runSupervisor } from '../supervisor/run-supervisor.js';
import { systemClock } from '../util/clock.js';
import { processIO } from './cli-io.js';
import { loadCliEnvironment } from './environment-options.js';
import { renderError } from './render-error.js';

/**
 * The background supervisor process that `devenv up` starts (`devenv __supervise …`). It bypasses yargs
 * and the command modules: every `up` that starts an environment waits for this process to come up,
 * so it loads only what it uses, and starts loading the Docker client before reading the config.
 */
export async function supervise(argv: readonly string[]): Promise<number> {
  const dockerModule = import('../runtime/docker/docker-runtime.js');
  const io = processIO();
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { cwd: { type: 'string' }, file: { type: 'string' }, branch: { type: 'string' } },
    });
    const args = {
      cwd: values.cwd ?? process.cwd(),
      file: values.file,
      branch: values.branch,
      verbose: true,
    };
    const { environment, paths, load, kept } = await loadCliEnvironment(args, io);
    const { DockerRuntime } = await dockerModule;
    await runSupervisor({
      initial: environment,
      load,
      kept,
      paths,
      runtime: new DockerRuntime(io.env),
      hostPorts: machineHostPorts,
      clock: systemClock,
      version: packageVersion(),
      signal: controller.signal,
      log: (line) => io.stdout(`${new Date().toISOString()} ${line}\n`),
    });
    return 0;
  } catch (error) {
    io.stderr(renderError(error, { color: false, verbose: true }));
    return exitCodeFor(error);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

function packageVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}
