/**
 * What should exist on the engine for one environment, reduced to what reconcile needs to decide.
 * Built from the resolved model by `src/engine`; kept separate so reconcile depends on nothing else.
 */
export interface DesiredState {
  /** The environment's network (one per environment; dependencies reach each other by name on it). */
  network: string;
  /** Named volumes the environment's containers mount (engine names, already scoped to the environment). */
  volumes: readonly string[];
  containers: readonly DesiredContainer[];
}

export interface DesiredContainer {
  /** Logical name from devenv.yaml (`db`, `api`); the `devenv.name` label. */
  name: string;
  /** Hash of everything that, when changed, requires a new container; the `devenv.config-hash` label. */
  configHash: string;
  /** Logical names this container waits for (must be ready first). */
  dependsOn: readonly string[];
  /** A `build:` service: its build context's fingerprint now; a container built from another is recreated. */
  buildFingerprint?: string | undefined;
}

/** What the engine reports for the environment, found by its labels (never by name patterns). */
export interface ObservedState {
  networks: readonly { id: string; name: string }[];
  volumes: readonly { name: string }[];
  containers: readonly ObservedContainerSummary[];
}

export interface ObservedContainerSummary {
  id: string;
  /** The `devenv.name` label. */
  name: string;
  /** The `devenv.config-hash` label. */
  configHash: string;
  /** The `devenv.build-fingerprint` label: which build of its image it runs (`build:` services). */
  buildFingerprint?: string | undefined;
  running: boolean;
  /** Creation time in ms since the epoch; when duplicates exist the newest is kept. */
  createdAt: number;
}
