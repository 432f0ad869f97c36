import { ExternalError, InterruptedError } from '../../errors/devenv-error.js';
import type { ResolvedEnvironment } from '../../model/resolved-environment.js';
import { serviceUrl } from '../../naming/service-host.js';
import { routerPort } from '../../router/router-paths.js';
import { attachOrStartSupervisor } from '../../supervisor/attach-supervisor.js';
import type { EnvironmentSnapshot, ResourceStatus } from '../../supervisor/environment-snapshot.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, supervisorArgs, withBranch } from '../environment-options.js';
import { createPlainEventView } from '../plain-event-view.js';

export const upCommand = defineCommand({
  command: 'up',
  describe: 'Start the environment (or bring it in line with devenv.yaml) and stay attached',
  builder: (yargs) =>
    withBranch(yargs).option('detach', {
      alias: 'd',
      type: 'boolean',
      default: false,
      describe: 'Return once everything is ready; the environment keeps running in the background',
    }),
  run: async (args, { io, signal }) => {
    // Validate here first: configuration errors belong in this terminal, with file:line:col.
    const { environment, paths } = await loadCliEnvironment(args, io);
    const { client, hello, started } = await attachOrStartSupervisor(paths, supervisorArgs(args), io.env);
    io.stderr(
      started
        ? `devenv: starting ${environment.project}/${environment.env} (supervisor pid ${hello.pid})\n`
        : `devenv: attached to ${environment.project}/${environment.env} (supervisor pid ${hello.pid})\n`,
    );
    // Detached, the services' own output would bury the progress; attached, it is what the user watches.
    client.onEvent(createPlainEventView(io.stderr, { logs: !args.detach }));
    await client.request('subscribe');

    const stop = async (): Promise<never> => {
      await client.request('shutdown').catch(() => undefined);
      await client.closed;
      const kept = environment.dependencies.map((dependency) => dependency.name);
      throw new InterruptedError(
        kept.length > 0
          ? `Stopped. Dependencies keep running for a fast next start: ${kept.join(', ')} (\`devenv down\` removes them).`
          : 'Stopped.',
      );
    };
    const interrupted = new Promise<'interrupted'>((resolve) =>
      signal.aborted
        ? resolve('interrupted')
        : signal.addEventListener('abort', () => resolve('interrupted')),
    );

    try {
      const outcome = await Promise.race([client.request('up'), interrupted]);
      if (outcome === 'interrupted') return await stop();
      printSummary(outcome, environment, routerPort(io.env), io.stdout);
      const notReady = outcome.resources.filter((resource) => resource.state !== 'ready');
      if (args.detach && notReady.length > 0) throw notReadyError(notReady);
      if (args.detach) return 0;
      io.stderr(
        'devenv: ready. Press Ctrl-C to stop, or run `devenv up -d` next time to stay in the background.\n',
      );
      const ended = await Promise.race([client.closed.then(() => 'closed' as const), interrupted]);
      if (ended === 'interrupted') return await stop();
      io.stderr('devenv: the supervisor stopped (another `devenv down`?).\n');
      return 0;
    } finally {
      // The supervisor keeps running for the next command; this process must not wait on its socket.
      client.close();
    }
  },
});

/** `up --detach` promises "everything is ready"; say exactly what is not, with its last lines. */
function notReadyError(resources: readonly ResourceStatus[]): ExternalError {
  const lines = resources.flatMap((resource) => [
    `${resource.name} is ${resource.state}${resource.detail ? `: ${resource.detail}` : ''}`,
    ...(resource.lastLines ?? []).slice(-10).map((line) => `  │ ${line}`),
  ]);
  return new ExternalError('NOT_READY', `Not everything is ready:\n${lines.join('\n')}`, {
    hint: 'The environment keeps running and retries; fix the cause (saving a watched file restarts the service), then check `devenv status`.',
  });
}

function printSummary(
  snapshot: EnvironmentSnapshot,
  environment: ResolvedEnvironment,
  port: number,
  write: (text: string) => void,
): void {
  for (const resource of snapshot.resources) {
    const service = environment.services.find((candidate) => candidate.name === resource.name);
    const where =
      service?.ports[0] !== undefined
        ? serviceUrl(environment.project, environment.branch, service.name, port)
        : resource.ports.map((published) => `127.0.0.1:${published.host}`).join(' ');
    write(`${resource.name.padEnd(12)} ${resource.state.padEnd(10)} ${where}\n`);
  }
}
