import type { ContainerRuntimeClient } from 'testcontainers';
import { isStillRunning } from '../process/process-identity.js';
import { engineFailure } from './engine-client.js';
import { removeLabelled } from './remove-labelled.js';
import { parseOwner, TestingLabel } from './testing-labels.js';

/**
 * Without Ryuk nothing removes the containers of a test process that was killed before `stop()`. Every
 * `startEnvironment` therefore removes the sessions whose owner was a process on this machine that no
 * longer runs (pid and start time, so a reused pid is not mistaken for it). Sessions of live
 * processes, and of other machines sharing a remote engine, are left alone.
 */
export async function sweepOrphans(client: ContainerRuntimeClient, hostname: string): Promise<void> {
  const docker = client.container.dockerode;
  const filters = { label: [TestingLabel.owner] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]).catch((error: unknown) => Promise.reject(engineFailure('list devenv/testing leftovers', error)));
  const sessions = new Map<string, string>();
  for (const { Labels } of [...containers, ...networks]) {
    const session = Labels?.[TestingLabel.session];
    const owner = Labels?.[TestingLabel.owner];
    if (session !== undefined && owner !== undefined) sessions.set(session, owner);
  }
  for (const [session, owner] of sessions) {
    const parsed = parseOwner(owner);
    if (parsed === undefined || parsed.hostname !== hostname) continue;
    if (await isStillRunning(parsed.identity)) continue;
    await removeLabelled(client, `${TestingLabel.session}=${session}`);
  }
}
