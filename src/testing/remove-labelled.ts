import type { ContainerRuntimeClient } from 'testcontainers';
import { engineFailure, statusCode } from './engine-client.js';

/**
 * Removes the containers (with their anonymous volumes) and then the networks that carry `label`
 * (`key` or `key=value`), and nothing else: the engine is shared with `devenv up` and other runs.
 * Gone already (404) or being removed by someone else (409) is what was wanted.
 */
export async function removeLabelled(client: ContainerRuntimeClient, label: string): Promise<void> {
  // testcontainers has no label-filtered listing of its own; its dockerode instance is the engine it uses.
  const docker = client.container.dockerode;
  const filters = { label: [label] };
  const containers = await docker
    .listContainers({ all: true, filters })
    .catch((error: unknown) => Promise.reject(engineFailure(`list containers labelled ${label}`, error)));
  await settleAll(
    containers.map(({ Id }) =>
      docker
        .getContainer(Id)
        .remove({ force: true, v: true })
        .catch((error: unknown) => ignoreGone(error, `remove container ${Id.slice(0, 12)}`)),
    ),
  );
  const networks = await docker
    .listNetworks({ filters })
    .catch((error: unknown) => Promise.reject(engineFailure(`list networks labelled ${label}`, error)));
  await settleAll(
    networks.map(({ Id, Name }) =>
      docker
        .getNetwork(Id)
        .remove()
        .catch((error: unknown) => ignoreGone(error, `remove network ${Name}`)),
    ),
  );
}

function ignoreGone(error: unknown, action: string): void {
  const status = statusCode(error);
  if (status === 404 || status === 409) return;
  throw engineFailure(action, error);
}

/** Every removal is tried; the first failure is reported once all have ended. */
async function settleAll(tasks: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
