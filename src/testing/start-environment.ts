import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { readSecret } from '../config/adapters/read-secret.js';
import { loadEnvironment } from '../config/load-environment.js';
import type { SecretResolver } from '../config/secret-resolver.js';
import { ConfigError } from '../errors/config-error.js';
import { DevenvError, ExternalError, InterruptedError, UsageError } from '../errors/devenv-error.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { identifyProcess } from '../process/process-identity.js';
import { containerPlanFor } from './container-plan.js';
import { engineClient } from './engine-client.js';
import { flatVars } from './flat-vars.js';
import { pullImages } from './pull-images.js';
import { removeLabelled } from './remove-labelled.js';
import { type PortReservation, reservePort } from './reserve-host-ports.js';
import { ryukUnlessConfigured } from './ryuk-default.js';
import { selectDependencies } from './select-dependencies.js';
import { createSessionNetwork } from './session-network.js';
import { startContainer } from './start-container.js';
import { sweepOrphans } from './sweep-orphans.js';
import { formatOwner, TestingLabel, type TestSession } from './testing-labels.js';

export interface StartEnvironmentOptions {
  /** Folder to read devenv.yaml from. @default process.cwd() */
  cwd?: string;
  /** devenv.yaml's path, relative to `cwd`. @default 'devenv.yaml' */
  file?: string;
  /** Dependencies to start (and what they depend on). @default every dependency in devenv.yaml */
  dependencies?: readonly string[];
  /** Variables for `${VAR}` in devenv.yaml, over `process.env` (which wins over `.env` files). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborting it during the start removes what was started and rejects with an InterruptedError. */
  signal?: AbortSignal;
}

/** Outputs keyed by dependency, then by output name: `env.db.url`, as `devenv env --json` prints them. */
export type DependencyOutputs = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface TestEnvironment extends AsyncDisposable {
  /** The project name from devenv.yaml. */
  readonly project: string;
  /** Each started dependency's outputs as this process reaches them (127.0.0.1, host ports), secrets included. */
  readonly env: DependencyOutputs;
  /** The same outputs flat, `process.env` style: `DB_URL`, `DB_HOST`, `DB_PORT`, `REDIS_URL`, … */
  readonly vars: Readonly<Record<string, string>>;
  /** Removes the containers (and their data) and the network; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts devenv.yaml's dependencies as throwaway containers for a test suite, with testcontainers:
 * same images, env, commands and readiness as `devenv up`, fresh data, free host ports, and nothing
 * shared with the developer's own `devenv up` environment.
 */
export async function startEnvironment(options: StartEnvironmentOptions = {}): Promise<TestEnvironment> {
  const { signal } = options;
  if (signal?.aborted) throw interrupted(signal);
  const load = loader(options);
  const planned = load(undefined);
  ryukUnlessConfigured();
  const client = await engineClient();
  const host = hostname();
  const session: TestSession = {
    id: randomBytes(4).toString('hex'),
    project: planned.project,
    owner: formatOwner(host, await identifyProcess(process.pid)),
  };
  await sweepOrphans(client, host);

  const reservations = await reservePorts(planned);
  const releaseAll = () => Promise.all([...reservations.values()].flat().map(({ port }) => port.release()));
  const removeSession = () => removeLabelled(client, `${TestingLabel.session}=${session.id}`);
  // The readiness waits stop with the signal (closing their exec or request); removing the session's
  // containers ends the rest of a start in flight.
  let aborting: Promise<void> | undefined;
  const onAbort = () => {
    aborting ??= removeSession();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const environment = load(exactPorts(reservations));
    const network = await createSessionNetwork(client, session);
    await pullImages(
      client,
      environment.dependencies.map((dependency) => dependency.image),
    );
    const started = new Map<string, Promise<StartedTestContainer>>();
    for (const dependency of environment.dependencies) {
      const plan = containerPlanFor(dependency, session);
      started.set(
        plan.name,
        (async () => {
          await Promise.all(plan.after.map((name) => started.get(name)));
          if (signal?.aborted) throw interrupted(signal);
          return startContainer(
            client,
            plan,
            network,
            async () => {
              await Promise.all((reservations.get(plan.name) ?? []).map(({ port }) => port.release()));
            },
            signal,
          );
        })(),
      );
    }
    const results = await Promise.allSettled(started.values());
    // In start order, the first failure is the cause: what depends on it failed because of it.
    const failed = results.find((result) => result.status === 'rejected');
    if (signal?.aborted) throw interrupted(signal);
    if (failed) throw failed.reason;
    return testEnvironment(environment, removeSession);
  } catch (error) {
    await releaseAll();
    // A failed removal on abort is not lost: the removal below runs again and reports its own failure.
    await aborting?.catch(() => undefined);
    await removeSession().catch((cleanup: unknown) => {
      throw cleanupFailed(error, cleanup);
    });
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Loads devenv.yaml with devenv's own loader, for the selected dependencies only. */
function loader(options: StartEnvironmentOptions) {
  const cwd = resolve(options.cwd ?? process.cwd());
  const environment = { ...process.env, ...options.env };
  // Both passes (plan, then with the reserved ports) read each secret once: a secret command may be slow.
  const resolveSecret = memoised(readSecret(environment));
  return (exactHostPorts: HostPortOverrides | undefined): ResolvedEnvironment => {
    let resolved: ResolvedEnvironment;
    try {
      resolved = loadEnvironment({
        cwd,
        file: options.file,
        environment,
        select: (loaded) => ({ names: selectDependencies(loaded.config, options.dependencies) }),
        resolveSecret,
        ...(exactHostPorts ? { exactHostPorts } : {}),
      }).environment;
    } catch (error) {
      // A test runner prints `message` only; put every problem's file:line:col in it.
      if (error instanceof ConfigError) throw new ConfigError(error.problems, { listProblems: true });
      throw error;
    }
    const services = resolved.services.map((service) => service.name);
    if (services.length > 0)
      throw new UsageError(
        'NOT_A_DEPENDENCY',
        `The selected dependencies need ${services.map((name) => `\`${name}\``).join(', ')}, which devenv.yaml defines as services; startEnvironment starts dependencies only.`,
      );
    return resolved;
  };
}

function memoised(resolver: SecretResolver): SecretResolver {
  const cache = new Map<string, ReturnType<SecretResolver>>();
  return (name, source) => {
    const key = JSON.stringify([name, source]);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const result = resolver(name, source);
    cache.set(key, result);
    return result;
  };
}

type Reservations = Map<string, { name: string; port: PortReservation }[]>;

async function reservePorts(environment: ResolvedEnvironment): Promise<Reservations> {
  const reservations: Reservations = new Map();
  try {
    for (const dependency of environment.dependencies) {
      const ports: { name: string; port: PortReservation }[] = [];
      reservations.set(dependency.name, ports);
      for (const port of dependency.ports)
        ports.push({ name: port.name, port: await reservePort(port.protocol) });
    }
  } catch (error) {
    await Promise.all([...reservations.values()].flat().map(({ port }) => port.release()));
    throw new ExternalError('PORT_BUSY', 'No free host port could be reserved on 127.0.0.1.', {
      cause: error,
    });
  }
  return reservations;
}

function exactPorts(reservations: Reservations): HostPortOverrides {
  return Object.fromEntries(
    [...reservations].map(([name, ports]) => [
      name,
      Object.fromEntries(ports.map((entry) => [entry.name, entry.port.port])),
    ]),
  );
}

function testEnvironment(environment: ResolvedEnvironment, remove: () => Promise<void>): TestEnvironment {
  const env = Object.fromEntries(
    environment.dependencies.map((dependency) => [dependency.name, { ...dependency.outputs.host }]),
  );
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= remove();
    return stopped;
  };
  return { project: environment.project, env, vars: flatVars(env), stop, [Symbol.asyncDispose]: stop };
}

function interrupted(signal: AbortSignal): InterruptedError {
  return new InterruptedError('startEnvironment was aborted.', { cause: signal.reason });
}

/** The start failed and so did removing what it had started: both are reported, the start first. */
function cleanupFailed(error: unknown, cleanup: unknown): Error {
  const first = error instanceof Error ? error.message : String(error);
  const second = cleanup instanceof Error ? cleanup.message : String(cleanup);
  return new ExternalError(
    error instanceof DevenvError ? error.code : 'START_FAILED',
    `${first}\nRemoving what was started failed too: ${second}`,
    {
      hint: `Remove the leftovers with \`docker rm -f $(docker ps -aq --filter label=${TestingLabel.session})\`.`,
      cause: error,
    },
  );
}
