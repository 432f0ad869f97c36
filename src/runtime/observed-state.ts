import type { Labels } from './container-spec.js';

/** Lifecycle state as the engine reports it. */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** `none` when the container has no healthcheck. */
export type ContainerHealth = 'none' | 'starting' | 'healthy' | 'unhealthy';

/** A port the engine actually bound on the host (only while the container runs). */
export interface BoundPort {
  container: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
  host: number;
}

/** A container as it exists on the engine right now. */
export interface ObservedContainer {
  id: string;
  /** Without the leading slash the engine adds. */
  name: string;
  /** The reference it was created from (e.g. `redis:8`). */
  image: string;
  /** Content id (`sha256:…`) of that image, to notice a re-pulled tag. */
  imageId: string;
  labels: Labels;
  state: ContainerState;
  health: ContainerHealth;
  /** Last exit code; meaningful once the container has exited. */
  exitCode: number | undefined;
  ports: readonly BoundPort[];
  createdAt: Date;
  /** Undefined if it never started. */
  startedAt: Date | undefined;
}

export interface ObservedNetwork {
  id: string;
  name: string;
  labels: Labels;
}

export interface ObservedImage {
  /** Content id, `sha256:…`. */
  id: string;
  /** `name:tag` references pointing at it (may be empty). */
  tags: readonly string[];
  labels: Labels;
}

/** What devenv reads from an image's config (empty lists when unset). */
export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  /** Paths the image declares with VOLUME: each new container would get a fresh anonymous volume there. */
  volumes: string[];
  /** The image's labels (a built image's `devenv.build-fingerprint`). */
  labels: Labels;
}

export interface ObservedVolume {
  name: string;
  labels: Labels;
}

/** Who the engine is, for `devenv doctor` and for error messages that name the registries consulted. */
export interface EngineInfo {
  serverVersion: string;
  apiVersion: string;
  /** `linux/amd64` style. */
  os: string;
  /** Registry mirrors configured on the engine (daemon.json), used for Docker Hub references. */
  registryMirrors: readonly string[];
  /** Where devenv reached it, as the user would write it (`unix:///var/run/docker.sock`, `tcp://…`). */
  endpoint: string;
}
