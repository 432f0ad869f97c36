import type { ResolvedDependency } from './resolved-dependency.js';
import type { ResolvedService } from './resolved-service.js';

export type ResolvedEntity = ResolvedDependency | ResolvedService;

/** Preview settings, resolved; present only when resolving for a preview. */
export interface ResolvedPreview {
  /** Milliseconds after the last update before a preview is removed. @default 259200000 (72h) */
  ttlMs: number;
  access: 'public' | 'token' | 'basic';
  /** For `basic`: the `user:password` secret, resolved (redact when printing). */
  basicAuth: string | undefined;
  /** Base domain for preview URLs; `undefined` means the preview host decides. */
  domain: string | undefined;
  /** Path prefixes served without a token. */
  publicPaths: readonly string[];
  /** Milliseconds without requests before the gateway stops the services; `undefined` = never. */
  idleSleepMs: number | undefined;
  /** Run once on a new preview. `sql` is an absolute path. */
  seed: ResolvedSeed | undefined;
  /** Snapshot the dependencies' volumes start from on a new preview. */
  snapshot: string | undefined;
}

/** A preview's seed: a command in a service's or dependency's container, or a SQL file for a dependency. */
export type ResolvedSeed =
  | { kind: 'command'; target: string; command: readonly string[] }
  | { kind: 'sql'; target: string; file: string };

/**
 * Everything the engine needs to run one environment, with no `${…}` left and nothing left to decide:
 * the contract between devenv.yaml and reconcile → plan → execute. Plain data (JSON-serialisable).
 */
export interface ResolvedEnvironment {
  /** Project name, a DNS label. */
  project: string;
  /** Environment name: `default`, or the branch's slug with a hash (see `src/naming`). */
  env: string;
  /** The branch this environment is for; `undefined` for the default environment. */
  branch: string | undefined;
  /** Resolved for a branch preview (preview overrides applied, `.env.preview` read). */
  preview: ResolvedPreview | undefined;
  /** Absolute folder of devenv.yaml; relative paths in the file are relative to it. */
  projectDir: string;
  /** Absolute path of devenv.yaml. */
  configFile: string;
  /** `env_files` as devenv.yaml lists them (relative to `projectDir`): a change to one is a config change. */
  envFiles: readonly string[];
  /** The one engine network of this environment, `<project>-<env>`. */
  network: string;
  /** Labels common to everything created for this environment (`devenv.project`, `devenv.env`). */
  labels: Readonly<Record<string, string>>;
  /** Selected dependencies, in a start order that respects `dependsOn`. */
  dependencies: readonly ResolvedDependency[];
  /** Selected services, in a start order that respects `dependsOn`. */
  services: readonly ResolvedService[];
  /** All selected names (dependencies and services) in one start order. */
  startOrder: readonly string[];
}
