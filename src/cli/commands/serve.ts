import { createWriteStream } from 'node:fs';
import { UsageError } from '../../errors/devenv-error.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';

export const serveCommand = defineCommand({
  command: 'serve',
  describe: 'Run the preview gateway on a preview host: routes every preview by host, with access control',
  builder: (yargs) =>
    yargs
      .option('domain', {
        type: 'string',
        describe: 'Serve only previews created for this base domain (default: every preview on the engine)',
        requiresArg: true,
      })
      .option('port', { type: 'number', default: 8080, describe: 'Port to listen on', requiresArg: true })
      .option('address', {
        type: 'string',
        array: true,
        default: ['0.0.0.0'],
        describe: 'Addresses to listen on (127.0.0.1 behind a reverse proxy on the same machine)',
        requiresArg: true,
      })
      .option('project', {
        type: 'string',
        array: true,
        describe: 'Serve only previews of these projects (default: all)',
        requiresArg: true,
      })
      .option('access-log', {
        type: 'string',
        describe: 'Append request lines to this file instead of standard output (tokens redacted)',
        requiresArg: true,
      }),
  run: async (args, { io, signal }) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65_535)
      throw new UsageError('USAGE', `--port ${args.port} is not a TCP port.`, {
        hint: 'Use 1–65535, e.g. 8080.',
      });
    // Loaded here, not at the top: every other command would otherwise load the proxy stack (undici).
    const [{ startGateway }, { collectPreviewGarbage }] = await Promise.all([
      import('../../gateway/start-gateway.js'),
      import('../../preview/collect-preview-garbage.js'),
    ]);
    const runtime = await openRuntime(io.env);
    // No engine at start is a setup mistake worth failing on; later outages are ridden out (logged).
    await runtime.ping();
    const file =
      args['access-log'] === undefined ? undefined : createWriteStream(args['access-log'], { flags: 'a' });
    const log = (line: string): void => io.stdout(`${new Date().toISOString()} ${line}\n`);
    const gateway = await startGateway({
      runtime,
      port: args.port,
      addresses: args.address,
      domain: args.domain,
      projects: args.project,
      log,
      // Expired previews and orphans go even when nobody runs `devenv preview gc`; with --project,
      // only the served projects' (a gateway never deletes what it does not serve).
      gc: async (now) => {
        const projects = args.project === undefined || args.project.length === 0 ? [undefined] : args.project;
        for (const project of projects) {
          const report = await collectPreviewGarbage(runtime, {
            now,
            project,
            progress: (line) => log(`gc: ${line}`),
            signal,
          });
          log(`gc: ${JSON.stringify(report)}`);
        }
      },
      // Buffered and asynchronous when a file: a synchronous write per request would cap throughput.
      accessLog: file === undefined ? (line) => io.stdout(`${line}\n`) : (line) => file.write(`${line}\n`),
    });
    log(
      `gateway listening on ${args.address.map((address) => `${address}:${gateway.port}`).join(', ')}` +
        `${args.domain === undefined ? '' : ` for *.${args.domain}`}, ${gateway.previews().length} preview(s)`,
    );
    // A server's normal end is a signal: stop cleanly and exit 0 (what service managers expect).
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await gateway.close();
    if (file !== undefined) await new Promise((resolve) => file.end(resolve));
    log('gateway stopped');
    return 0;
  },
});
