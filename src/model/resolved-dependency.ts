import type { ResolvedEntityBase, ResolvedVolume } from './resolved-entity.js';

/** A backing service (database, cache, broker, …), always a container. */
export interface ResolvedDependency extends ResolvedEntityBase {
  kind: 'dependency';
  /** Preset it came from, if any. */
  preset: string | undefined;
  /** Image reference without a registry host, e.g. `postgres:17`; the engine's mirrors apply. */
  image: string;
  /** Container name, `<project>-<env>-<name>`. */
  containerName: string;
  /** argv overriding the image command; `undefined` keeps the image's. */
  command: readonly string[] | undefined;
  volumes: readonly ResolvedVolume[];
  /** Dependencies restart with the engine's `unless-stopped` semantics; not configurable. */
  restart: 'unless-stopped';
}
