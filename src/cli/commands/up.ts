import { realpathSync } from 'node:fs';
import type { SelectionRequest } from '../../config/select-entities.js';
import { ExternalError, InterruptedError, UsageError } from '../../errors/devenv-error.js';
import type { ResolvedEnvironment } from '../../model/resolved-environment.js';
import { serviceUrl } from '../../naming/service-host.js';
import { routerPort } from '../../router/router-paths.js';
import { attachOrStartSupervisor } from '../../supervisor/attach-supervisor.js';
import type { ControlClient } from '../../supervisor/control-client.js';
import {
  type EnvironmentSnapshot,
  isSettled,
  type ResourceStatus,
} from '../../supervisor/environment-snapshot.js';
import type { CliIO } from '../cli-io.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, supervisorArgs, withBranch } from '../environment-options.js';
import { createJsonEventView } from '../json-event-view.js';
import { createPlainEventView } from '../plain-event-view.js';

export const upCommand = defineCommand({
  command: 'up [names..]',
  describe: 'Start the environment (or bring it in line with devenv.yaml) and stay attached',
  builder: (yargs) =>
    withBranch(yargs)
      .positional('names', {
        type: 'string',
        array: true,
        describe:
          'Start only these dependencies/services and what they depend on (added to what already runs; `devenv down` resets)',
      })
      .option('profile', {
        alias: 'p',
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'Start the services of this profile of devenv.yaml (repeatable; added like names)',
      })
      .option('detach', {
        alias: 'd',
        type: 'boolean',
        default: false,
        describe: 'Return once everything is ready; the environment keeps running in the background',
      })
      .option('ui', {
        type: 'boolean',
        default: true,
        describe: 'On a terminal, show the interactive UI (--no-ui: plain timestamped lines)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print every event as one JSON object per line (schema in docs/cli.md)',
      }),
  run: async (args, { io, signal }) => {
    const select = selectionRequest(args.names, args.profile);
    // The supervisor may have been started from another shell: `${VAR}` comes from this one from now on.
    const request = { select, environment: definedVariables(io.env) };
    // Validate here first: configuration errors belong in this terminal, with file:line:col.
    const { environment, paths } = await loadCliEnvironment(args, io, { select });
    const { client, hello, started } = await attachOrStartSupervisor(paths, supervisorArgs(args), io.env);
    if (!sameFolder(hello.root, environment.projectDir)) {
      // Same project name in another folder (a second checkout): attaching would run that folder's code.
      client.close();
      throw new UsageError(
        'PROJECT_ELSEWHERE',
        `${environment.project}/${environment.env} already runs from ${hello.root}, not from this folder.`,
        {
          hint: `Give this checkout its own \`name:\` in devenv.yaml (or use --branch), or stop the other with \`devenv -C ${hello.root} down\`.`,
        },
      );
    }
    const port = routerPort(io.env);
    const interactive =
      args.ui &&
      !args.json &&
      !args.detach &&
      io.isTTY &&
      process.stdin.isTTY === true &&
      io.env.TERM !== 'dumb';
    if (interactive) {
      try {
        return await runInteractive(client, request, environment, port, io, signal);
      } finally {
        client.close();
      }
    }
    io.stderr(
      started
        ? `devenv: starting ${environment.project}/${environment.env} (supervisor pid ${hello.pid})\n`
        : `devenv: attached to ${environment.project}/${environment.env} (supervisor pid ${hello.pid})\n`,
    );
    // Detached, the services' own output would bury the progress; attached, it is what the user watches.
    client.onEvent(
      args.json ? createJsonEventView(io.stdout) : createPlainEventView(io.stderr, { logs: !args.detach }),
    );
    await client.request('subscribe');

    const interrupted = new Promise<'interrupted'>((resolve) =>
      signal.aborted
        ? resolve('interrupted')
        : signal.addEventListener('abort', () => resolve('interrupted')),
    );

    try {
      const outcome = await Promise.race([client.request('up', request), interrupted]);
      if (outcome === 'interrupted') return await stop(client, environment);
      // With --json, stdout carries only events; the summary is in them.
      if (!args.json) printSummary(outcome, environment, port, io.stdout);
      const notReady = outcome.resources.filter((resource) => !isSettled(resource));
      if (args.detach && notReady.length > 0) throw notReadyError(notReady);
      if (args.detach) return 0;
      io.stderr(
        'devenv: ready. Press Ctrl-C to stop, or run `devenv up -d` next time to stay in the background.\n',
      );
      const ended = await Promise.race([client.closed.then(() => 'closed' as const), interrupted]);
      if (ended === 'interrupted') return await stop(client, environment);
      io.stderr('devenv: the supervisor stopped (another `devenv down`?).\n');
      return 0;
    } finally {
      // The supervisor keeps running for the next command; this process must not wait on its socket.
      client.close();
    }
  },
});

/**
 * Runs `load` with no global `fetch`. ink's layout engine (yoga) is WebAssembly inlined as base64, and
 * its loader decodes it through `fetch` when there is one: that would load Node's bundled undici
 * (~2 MB of heap the UI process then keeps) for nothing. Without `fetch` it decodes the bytes itself.
 * Nothing else runs in this process meanwhile that uses fetch (the UI talks to the supervisor on a socket).
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  // The descriptor, not the value: reading `fetch` would itself load undici.
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return load();
  Reflect.deleteProperty(globalThis, 'fetch');
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}

/** The TUI (loaded only here: ink and react cost start-up time every other command must not pay). */
async function runInteractive(
  client: ControlClient,
  up: { select: SelectionRequest; environment: Record<string, string> },
  environment: ResolvedEnvironment,
  port: number,
  io: CliIO,
  signal: AbortSignal,
): Promise<number> {
  // React's development build (the default without NODE_ENV) checks every element and costs several
  // times the CPU and memory; the UI must be near-free while idle. Set before React is first loaded.
  process.env.NODE_ENV ??= 'production';
  const [{ runTuiSession }, { openUrl }] = await Promise.all([
    withoutFetch(() => import('../../ui/tui-session.js')),
    import('../../host/open-url.js'),
  ]);
  const urls = Object.fromEntries(
    environment.services
      .filter((service) => service.ports.length > 0)
      .map((service) => [
        service.name,
        serviceUrl(environment.project, environment.branch, service.name, port),
      ]),
  );
  const outcome = await runTuiSession({
    client,
    up,
    context: {
      project: environment.project,
      branch: environment.branch ?? environment.env,
      env: environment.env,
      urls,
      routerUrl: `router :${port}`,
    },
    color: io.color,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal,
    openUrl,
  });
  switch (outcome) {
    case 'detach': {
      const snapshot = await client.request('status');
      printSummary(snapshot, environment, port, io.stdout);
      io.stderr(
        'devenv: detached; the environment keeps running (`devenv up` attaches again, `devenv down` stops it).\n',
      );
      return 0;
    }
    case 'quit':
      io.stderr(`devenv: ${stoppedMessage(environment)}\n`);
      return 0;
    case 'interrupt':
      throw new InterruptedError(stoppedMessage(environment));
    case 'closed':
      io.stderr('devenv: the supervisor stopped (another `devenv down`?).\n');
      return 0;
  }
}

async function stop(client: ControlClient, environment: ResolvedEnvironment): Promise<never> {
  await client.request('shutdown').catch(() => undefined);
  await client.closed;
  throw new InterruptedError(stoppedMessage(environment));
}

function stoppedMessage(environment: ResolvedEnvironment): string {
  const kept = environment.dependencies.map((dependency) => dependency.name);
  return kept.length > 0
    ? `Stopped. Dependencies keep running for a fast next start: ${kept.join(', ')} (\`devenv down\` removes them).`
    : 'Stopped.';
}

/** Names and profiles from the command line; neither means what plain `devenv up` runs (the defaults). */
function selectionRequest(
  names: readonly (string | number)[] | undefined,
  profiles: readonly (string | number)[] | undefined,
): SelectionRequest {
  const list = (values: readonly (string | number)[] | undefined) => (values ?? []).map(String);
  const request = { names: list(names), profiles: list(profiles) };
  return request.names.length > 0 || request.profiles.length > 0 ? request : { defaults: true };
}

function definedVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The same folder, also when reached through a symlink. */
function sameFolder(a: string, b: string): boolean {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return path; // gone meanwhile: compare as written
    }
  };
  return a === b || real(a) === real(b);
}

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
