import {
  type ContainerRuntimeClient,
  getReaper,
  LABEL_TESTCONTAINERS_SESSION_ID,
  StartedNetwork,
} from 'testcontainers';
import { engineFailure } from './engine-client.js';
import { sessionLabels, type TestSession } from './testing-labels.js';

/**
 * The session's own network, where dependencies reach each other by name (`${db.host}` in another
 * dependency's env is `db`), as on `devenv up`'s network. Created here rather than with testcontainers'
 * `Network` so it carries the session's labels (for `stop()` and the sweep); it also carries
 * testcontainers' session label, so Ryuk, when enabled, removes it with the containers.
 */
export async function createSessionNetwork(
  client: ContainerRuntimeClient,
  session: TestSession,
): Promise<StartedNetwork> {
  const reaper = await getReaper(client);
  const name = `${session.project}-test-${session.id}`;
  try {
    const network = await client.network.create({
      Name: name,
      Driver: 'bridge',
      Labels: { ...sessionLabels(session), [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId },
    });
    return new StartedNetwork(client, name, network);
  } catch (error) {
    throw engineFailure(`create network ${name}`, error);
  }
}
