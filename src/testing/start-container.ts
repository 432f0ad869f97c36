import type { ContainerRuntimeClient, StartedNetwork, StartedTestContainer } from 'testcontainers';
import { ExternalError } from '../errors/devenv-error.js';
import { imageNotPresentError, nameConflictError, portBusyError } from '../runtime/runtime-errors.js';
import type { ContainerPlan } from './container-plan.js';
import { engineFailure, engineMessage, statusCode } from './engine-client.js';
import { describeLines, LAST_LINES, readLines } from './last-lines.js';
import { LoopbackContainer } from './loopback-container.js';
import { NotingWait } from './noting-wait.js';
import { toWaitStrategy } from './to-wait-strategy.js';
import { describeWait } from './wait-plan.js';

/** What a container that failed to become ready left to read. */
interface Remains {
  running: boolean;
  exitCode: number;
  lines: string[];
}

/**
 * Starts one planned container with testcontainers and waits for its readiness. `beforeStart` runs
 * right before the engine is asked (it releases the host ports reserved for it); aborting `signal`
 * ends the readiness wait at once, with its exec or request in flight. Failures become devenv's
 * errors: a readiness failure names the dependency, what was waited for and its last lines.
 */
export async function startContainer(
  client: ContainerRuntimeClient,
  plan: ContainerPlan,
  network: StartedNetwork,
  beforeStart: () => Promise<void>,
  signal?: AbortSignal,
): Promise<StartedTestContainer> {
  let remains: Remains | undefined;
  let waitFailed = false;
  const wait = new NotingWait(toWaitStrategy(plan.wait, client, signal), async (container) => {
    if (signal?.aborted) return;
    waitFailed = true;
    remains = await remainsOf(client, container.id);
  });
  const container = new LoopbackContainer(plan.image)
    .withName(plan.containerName)
    .withLabels({ ...plan.labels })
    .withEnvironment({ ...plan.env })
    .withNetwork(network)
    .withNetworkAliases(plan.name)
    .withLoopbackPorts(plan.ports)
    .withWaitStrategy(wait);
  if (plan.command !== undefined) container.withCommand([...plan.command]);
  await beforeStart();
  try {
    return await container.start();
  } catch (error) {
    if (signal?.aborted) throw error; // the start is abandoned and the container being removed
    // A container that ends at once may fail before the wait (testcontainers first waits 10 s for its
    // ports to be bound); its exit code and output explain it better than the engine's message.
    remains ??= await remainsOf(client, plan.containerName);
    if (remains !== undefined && !remains.running) throw exitedError(plan, remains, error);
    if (waitFailed) throw notReadyError(plan, remains?.lines ?? [], error);
    throw startError(plan, error);
  }
}

async function remainsOf(client: ContainerRuntimeClient, idOrName: string): Promise<Remains | undefined> {
  const container = client.container.getById(idOrName);
  try {
    const { State } = await client.container.inspect(container);
    // A running container's log stream follows; only the lines so far are wanted.
    const stream = await client.container.logs(container, { tail: LAST_LINES });
    const lines = State.Running ? await firstLines(stream) : await readLines(stream);
    return { running: State.Running, exitCode: State.ExitCode, lines };
  } catch {
    // Not created, or already removed: the error being reported explains the failure without it.
    return undefined;
  }
}

/** The tail a following log stream sends at once, then stops following it. */
async function firstLines(stream: NodeJS.ReadableStream & { destroy(): void }): Promise<string[]> {
  let text = '';
  stream.on('data', (chunk: unknown) => {
    text += String(chunk);
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  stream.destroy();
  return text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .slice(-LAST_LINES);
}

function exitedError(plan: ContainerPlan, remains: Remains, error: unknown): ExternalError {
  return new ExternalError(
    'CONTAINER_EXITED',
    `${plan.name} exited with code ${remains.exitCode} before it was ready.${describeLines(plan.name, remains.lines)}`,
    { hint: `Its last lines say why; \`devenv up ${plan.name}\` runs it the same way.`, cause: error },
  );
}

function notReadyError(plan: ContainerPlan, lines: readonly string[], error: unknown): ExternalError {
  const detail = engineMessage(error);
  const waited = describeWait(plan.wait.plan);
  // testcontainers' own timeout sentence repeats what was waited for; other failures say something new.
  const timedOut = /after \d+ ?ms/.test(detail);
  const message = timedOut
    ? `${plan.name} was not ready after ${Math.round(plan.wait.timeoutMs / 1000)}s: waited for ${waited}.`
    : `${plan.name} was not ready: waited for ${waited}; ${detail}`;
  return new ExternalError('READINESS_TIMEOUT', message + describeLines(plan.name, lines), {
    hint: 'Raise its readiness timeout (`ready.timeout`) in devenv.yaml if it is just slow.',
    cause: error,
  });
}

function startError(plan: ContainerPlan, error: unknown): Error {
  const detail = engineMessage(error);
  if (/port is already allocated|address already in use/i.test(detail)) {
    const port = /:(\d+)(?!.*:\d)/.exec(detail)?.[1];
    return portBusyError(port === undefined ? undefined : Number(port), undefined, error);
  }
  if (statusCode(error) === 404 && /image/i.test(detail)) return imageNotPresentError(plan.image, error);
  if (statusCode(error) === 409) return nameConflictError('container', plan.containerName, error);
  return engineFailure(`start ${plan.name} (${plan.image})`, error);
}
