/**
 * What devenv asks the engine for, in devenv's own words. The adapter translates these into the
 * engine's API; nothing here mentions Docker's wire format, so reconcile code and fakes stay engine-free.
 */

/** Labels as set on (or read from) an engine object. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Which objects to list: every key must be present; a string value must match exactly, `true` accepts
 * any value (e.g. `{ 'devenv.project': 'shop', 'devenv.env': true }`).
 */
export type LabelFilter = Readonly<Record<string, string | true>>;

/** The labels every object devenv creates carries, so `down`, `gc` and a restarted supervisor find theirs. */
export const DevenvLabel = {
  project: 'devenv.project',
  env: 'devenv.env',
  name: 'devenv.name',
  configHash: 'devenv.config-hash',
  /**
   * On an image devenv built, and on the containers created from it: the fingerprint of the build
   * context it was built from (`ContainerRuntime.buildFingerprint`), so `up` rebuilds after an edit.
   */
  buildFingerprint: 'devenv.build-fingerprint',
} as const;

/** A container port published on the host. */
export interface PortBinding {
  /** Port inside the container. */
  container: number;
  /** Port on the host; omitted or 0 lets the engine pick a free one (read it back from `ObservedContainer.ports`). */
  host?: number;
  /**
   * Host address to bind. Loopback by default so a dev database is not reachable from the network.
   * @default '127.0.0.1'
   */
  hostIp?: string;
  /** @default 'tcp' */
  protocol?: 'tcp' | 'udp';
}

/** A named volume (devenv-owned data that survives `down`) or a host directory mounted into the container. */
export type Mount =
  | { kind: 'volume'; volume: string; target: string; readOnly?: boolean }
  | { kind: 'bind'; hostPath: string; target: string; readOnly?: boolean };

/** The container's own health probe, run by the engine. */
export interface HealthcheckSpec {
  /** `['CMD', 'redis-cli', 'ping']` or `['CMD-SHELL', 'pg_isready -U postgres']`, as in a Dockerfile. */
  test: readonly string[];
  /** @default engine default (30 s) */
  intervalMs?: number;
  /** @default engine default (30 s) */
  timeoutMs?: number;
  /** @default engine default (3) */
  retries?: number;
  /** @default 0 */
  startPeriodMs?: number;
}

/** Everything needed to create one container. */
export interface ContainerSpec {
  /** Engine-wide unique name, e.g. `devenv-shop-main-db`. */
  name: string;
  /** Image reference exactly as the user wrote it; resolved by the engine (and its mirrors). */
  image: string;
  env?: Readonly<Record<string, string>>;
  /** Replaces the image's CMD when given. */
  cmd?: readonly string[];
  /** Replaces the image's ENTRYPOINT when given. */
  entrypoint?: readonly string[];
  labels: Labels;
  /** The environment's network and the names other containers reach this one by. */
  network?: { name: string; aliases?: readonly string[] };
  ports?: readonly PortBinding[];
  mounts?: readonly Mount[];
  healthcheck?: HealthcheckSpec;
  /** @default the image's STOPSIGNAL, else SIGTERM */
  stopSignal?: string;
  /** Seconds between the stop signal and SIGKILL. @default 10 */
  stopTimeoutSec?: number;
  workingDir?: string;
  /** `uid`, `uid:gid` or a user name known to the image. */
  user?: string;
  /**
   * What the engine does when the container exits on its own (`unless-stopped`: restart unless devenv or
   * the user stopped it). @default 'no'
   */
  restart?: 'no' | 'on-failure' | 'unless-stopped';
  /** Extra `/etc/hosts` entries, e.g. `host.docker.internal` → `host-gateway` (the engine's host). */
  extraHosts?: Readonly<Record<string, string>>;
}
