import type { ResolvedDependency } from '../model/resolved-dependency.js';
import { sessionLabels, TestingLabel, type TestSession } from './testing-labels.js';
import { type WaitSpec, waitSpecFor } from './wait-plan.js';

/** One throwaway container, decided (pure): what `start-container.ts` hands to testcontainers. */
export interface ContainerPlan {
  /** The dependency's name in devenv.yaml; also its alias on the session's network. */
  name: string;
  containerName: string;
  image: string;
  /** argv overriding the image's command; `undefined` keeps the image's. */
  command: readonly string[] | undefined;
  env: Readonly<Record<string, string>>;
  /** Published on 127.0.0.1 at the host port reserved for this session. */
  ports: readonly { container: number; host: number; protocol: 'tcp' | 'udp' }[];
  labels: Readonly<Record<string, string>>;
  wait: WaitSpec;
  /** Dependencies that must be started (and ready) first. */
  after: readonly string[];
}

/**
 * A resolved dependency as a throwaway container: same image, command, env and ports as `devenv up`,
 * but no named volumes (every run starts from empty data; volumes the image declares are anonymous and
 * go with the container) and none of devenv's own labels or names, so `devenv up` never adopts it.
 */
export function containerPlanFor(dependency: ResolvedDependency, session: TestSession): ContainerPlan {
  return {
    name: dependency.name,
    containerName: `${session.project}-test-${session.id}-${dependency.name}`,
    image: dependency.image,
    command: dependency.command,
    env: dependency.env.values,
    ports: dependency.ports.map(({ container, host, protocol }) => ({ container, host, protocol })),
    labels: { ...sessionLabels(session), [TestingLabel.name]: dependency.name },
    wait: waitSpecFor(
      dependency.readiness,
      dependency.ports.some((port) => port.protocol === 'tcp'),
    ),
    after: dependency.dependsOn.map((edge) => edge.name),
  };
}
