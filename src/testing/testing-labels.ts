import { formatIdentity, type ProcessIdentity, parseIdentity } from '../process/process-identity.js';

/**
 * Labels on everything `devenv/testing` creates. None of them is `devenv.project` or `devenv.env`, which
 * `devenv up`, `down` and `gc` select by: a test run and the developer's own environment never see
 * each other's containers, even for the same project.
 */
export const TestingLabel = {
  /** The session (one `startEnvironment` call): what `stop()` removes. */
  session: 'devenv.testing',
  /** `hostname pid [start time]` of the process that started it, for the sweep of killed runs. */
  owner: 'devenv.testing.owner',
  project: 'devenv.testing.project',
  /** The dependency's name in devenv.yaml. */
  name: 'devenv.testing.name',
} as const;

/** One `startEnvironment` call: its id, its project and the process that owns what it creates. */
export interface TestSession {
  id: string;
  project: string;
  owner: string;
}

export function sessionLabels(session: TestSession): Record<string, string> {
  return {
    [TestingLabel.session]: session.id,
    [TestingLabel.owner]: session.owner,
    [TestingLabel.project]: session.project,
  };
}

export function formatOwner(hostname: string, identity: ProcessIdentity): string {
  return `${hostname} ${formatIdentity(identity)}`;
}

/** The inverse of `formatOwner`; undefined for a label this code did not write. */
export function parseOwner(text: string): { hostname: string; identity: ProcessIdentity } | undefined {
  const space = text.indexOf(' ');
  if (space <= 0) return undefined;
  const identity = parseIdentity(text.slice(space + 1));
  return identity === undefined ? undefined : { hostname: text.slice(0, space), identity };
}
