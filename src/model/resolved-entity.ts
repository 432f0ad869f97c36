import type { Readiness } from './readiness.js';
import type { ResolvedEnv, ResolvedOutputs } from './resolved-env.js';
import type { ResolvedPort } from './resolved-port.js';

export type DependencyCondition = 'started' | 'healthy' | 'completed';

export interface ResolvedDependsOn {
  name: string;
  condition: DependencyCondition;
  /** True when added because this entity's env references the target (`${db.url}`), not written in depends_on. */
  implicit: boolean;
}

/** A named volume, persisted per environment. */
export interface ResolvedVolume {
  /** Name in devenv.yaml (`data`). */
  name: string;
  /** Engine volume name, `<project>-<env>-<entity>-<volume>`. */
  volumeName: string;
  /** Absolute path inside the container. */
  path: string;
}

/** What dependencies and services have in common. */
export interface ResolvedEntityBase {
  /** Name in devenv.yaml, a DNS label; the network alias for containers. */
  name: string;
  /** Engine labels: `devenv.project`, `devenv.env`, `devenv.name`, `devenv.kind`, `devenv.config-hash`. */
  labels: Readonly<Record<string, string>>;
  /**
   * Hash of everything that, when changed, requires recreating this entity (image, command, env values
   * including secrets, ports, volumes, readiness, …). Also in `labels['devenv.config-hash']`.
   */
  configHash: string;
  /** Published ports, the primary one first. */
  ports: readonly ResolvedPort[];
  env: ResolvedEnv;
  outputs: ResolvedOutputs;
  /** What must reach a condition before this starts; explicit entries first, then implicit ones. */
  dependsOn: readonly ResolvedDependsOn[];
  readiness: Readiness | undefined;
}
