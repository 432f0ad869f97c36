import type { ResolvedEntityBase, ResolvedVolume } from './resolved-entity.js';
import type { ResolvedWatchRule } from './resolved-watch-rule.js';

export type RestartPolicy = 'no' | 'on-failure' | 'always';

/** How a service's code runs: a local process, or a container from a build or an image. */
export type ServiceRuntime =
  | {
      kind: 'process';
      /** argv; a shell string from devenv.yaml arrives as `['sh', '-c', string]`. */
      command: readonly string[];
      /** Absolute working directory. */
      cwd: string;
      /** `warm_start` from devenv.yaml; it applies only where the command `runsNodeDirectly`. */
      warmStart: boolean;
    }
  | {
      kind: 'container';
      /** Container name, `<project>-<env>-<name>`. */
      containerName: string;
      /** What to run: a pulled image or an image built from a Dockerfile. */
      source:
        | { kind: 'image'; image: string }
        | {
            kind: 'build';
            /** Absolute build context. */
            context: string;
            /** Dockerfile path relative to the context. @default 'Dockerfile' */
            dockerfile: string;
            target: string | undefined;
            args: Readonly<Record<string, string>>;
            /** Tag for the built image, `devenv/<project>-<name>:<env>`. */
            tag: string;
            /**
             * Files in the context that do not count as changes to the image (relative, POSIX): devenv.yaml
             * and its .env layers and `env_files`, so an edit for another service does not rebuild this one.
             */
            notFingerprinted: readonly string[];
          };
      /** argv overriding the image command; `undefined` keeps the image's. */
      command: readonly string[] | undefined;
      volumes: readonly ResolvedVolume[];
    };

/** The repository's own code. */
export interface ResolvedService extends ResolvedEntityBase {
  kind: 'service';
  runtime: ServiceRuntime;
  /** The port its URL points at: `ports[0]` when it has one. */
  port: number | undefined;
  watch: readonly ResolvedWatchRule[];
  restart: RestartPolicy;
}
