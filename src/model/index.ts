/** The resolved environment model: what `src/config` produces and the engine consumes. */
export type { Readiness, ReadinessProbe } from './readiness.js';
export type { ResolvedDependency } from './resolved-dependency.js';
export type {
  DependencyCondition,
  ResolvedDependsOn,
  ResolvedEntityBase,
  ResolvedVolume,
} from './resolved-entity.js';
export type { ResolvedEnv, ResolvedOutputs } from './resolved-env.js';
export type { ResolvedEntity, ResolvedEnvironment, ResolvedPreview } from './resolved-environment.js';
export type { HostPortOverrides, ResolvedPort } from './resolved-port.js';
export type { ResolvedService, RestartPolicy, ServiceRuntime } from './resolved-service.js';
export type { ResolvedWatchRule } from './resolved-watch-rule.js';
