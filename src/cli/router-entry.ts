import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { exitCodeFor } from '../errors/exit-code.js';
import { routerPaths, routerPort } from '../router/router-paths.js';
import { runRouter } from '../router/run-router.js';
import { processIO } from './cli-io.js';
import { renderError } from './render-error.js';

/**
 * The machine's router process (`devenv __router`), started on demand by the first supervisor that
 * needs it. A lean entry like the supervisor's: no command-line parser, nothing but the router.
 */
export async function route(_argv: readonly string[]): Promise<number> {
  const io = processIO();
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const paths = routerPaths(io.env);
  await mkdir(paths.dir, { recursive: true });
  // Buffered and asynchronous: a synchronous write per request would cap the router's throughput.
  const access = createWriteStream(paths.accessLogFile, { flags: 'a' });
  try {
    await runRouter({
      paths,
      port: routerPort(io.env),
      signal: controller.signal,
      log: (line) => io.stdout(`${new Date().toISOString()} ${line}\n`),
      accessLog: (line) => access.write(`${line}\n`),
    });
    return 0;
  } catch (error) {
    // Another router won the race to start: it serves everyone, this one has nothing to do.
    if ((error as { code?: string }).code === 'SUPERVISOR_RUNNING') {
      io.stdout(`${new Date().toISOString()} another router runs; exiting\n`);
      return 0;
    }
    io.stderr(renderError(error, { color: false, verbose: true }));
    return exitCodeFor(error);
  } finally {
    await new Promise((resolve) => access.end(resolve));
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
