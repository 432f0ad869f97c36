import type { BuildFingerprint } from './build-fingerprint.js';
import type {
  BuildOptions,
  ContainerRuntime,
  ContainerStats,
  CopiedFile,
  EventsOptions,
  ExecOptions,
  FingerprintOptions,
  InteractiveExec,
  InteractiveExecOptions,
  LogsOptions,
  PullOptions,
} from './container-runtime.js';
import type { ContainerSpec, LabelFilter, Labels } from './container-spec.js';
import { matchLabels } from './match-labels.js';
import type {
  EngineInfo,
  ImageConfig,
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedVolume,
} from './observed-state.js';
import {
  containerNotFoundError,
  engineError,
  imageNotFoundError,
  imageNotPresentError,
  nameConflictError,
  portBusyError,
} from './runtime-errors.js';
import type { EngineEvent, ExecResult, LogLine } from './runtime-streams.js';

/** One call made on the fake, for tests that assert on what the code under test asked for. */
export interface RecordedCall {
  method: keyof ContainerRuntime;
  args: unknown[];
}

export interface FakeRuntimeOptions {
  /** Images a pull can find ("in the registry"). */
  registry?: readonly string[];
  /** Images already on the fake engine. */
  images?: readonly string[];
  now?: () => Date;
}

/**
 * An in-memory engine implementing the same port, for unit tests of reconcile and execution: it
 * records calls, filters by labels, enforces names and host ports like the engine, and can be told
 * to fail a given call.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly calls: RecordedCall[] = [];
  readonly containers = new Map<string, ObservedContainer & { spec: ContainerSpec }>();
  readonly networks = new Map<string, ObservedNetwork>();
  readonly volumes = new Map<string, ObservedVolume>();
  readonly images: Set<string>;
  /** VOLUME paths an image declares, by reference (none unless a test sets them). */
  readonly imageVolumes = new Map<string, string[]>();
  /** Labels of images built through `buildImage`, by tag. */
  readonly imageLabels = new Map<string, Labels>();
  /** Lines `logs()` yields, by container id. */
  readonly logLines = new Map<string, LogLine[]>();
  /** What `exec()` answers; by default exit 0 with no output. */
  execHandler: (id: string, cmd: readonly string[]) => ExecResult = () => ({
    exitCode: 0,
    stdout: '',
    stderr: '',
  });
  readonly #registry: Set<string>;
  readonly #failures = new Map<keyof ContainerRuntime, Error[]>();
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  readonly #now: () => Date;
  #nextId = 1;
  #nextPort = 49_153;

  constructor(options: FakeRuntimeOptions = {}) {
    this.#registry = new Set(options.registry ?? []);
    this.images = new Set(options.images ?? []);
    this.#now = options.now ?? (() => new Date(0));
  }

  /** The next call of `method` throws `error` (queue several to fail several calls). */
  failNext(method: keyof ContainerRuntime, error: Error): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), error]);
  }

  async ping(): Promise<EngineInfo> {
    this.#record('ping', []);
    return {
      serverVersion: 'fake',
      apiVersion: '1.41',
      os: 'linux/fake',
      registryMirrors: [],
      endpoint: 'fake://',
    };
  }

  async listContainers(filter: LabelFilter): Promise<ObservedContainer[]> {
    this.#record('listContainers', [filter]);
    return [...this.containers.values()].filter((c) => matchLabels(c.labels, filter)).map(strip);
  }

  async inspectContainer(idOrName: string): Promise<ObservedContainer | undefined> {
    this.#record('inspectContainer', [idOrName]);
    const found = this.#find(idOrName);
    return found && strip(found);
  }

  async createContainer(spec: ContainerSpec): Promise<ObservedContainer> {
    this.#record('createContainer', [spec]);
    if ([...this.containers.values()].some((c) => c.name === spec.name))
      throw nameConflictError('container', spec.name);
    if (!this.images.has(spec.image)) throw imageNotPresentError(spec.image);
    const id = `fake-${this.#nextId++}`;
    const container = {
      id,
      name: spec.name,
      image: spec.image,
      imageId: `sha256:${spec.image}`,
      labels: { ...spec.labels },
      state: 'created' as const,
      health: 'none' as const,
      exitCode: undefined,
      ports: [],
      createdAt: this.#now(),
      startedAt: undefined,
      spec,
    };
    this.containers.set(id, container);
    this.#emit(container, 'create');
    return strip(container);
  }

  async startContainer(id: string): Promise<void> {
    this.#record('startContainer', [id]);
    const container = this.#require(id);
    if (container.state === 'running') return;
    const taken = new Set([...this.containers.values()].flatMap((c) => c.ports.map((p) => p.host)));
    const ports = (container.spec.ports ?? []).map((p) => ({
      container: p.container,
      protocol: p.protocol ?? 'tcp',
      hostIp: p.hostIp ?? '127.0.0.1',
      host: p.host || this.#nextPort++,
    }));
    const busy = ports.find((p) => taken.has(p.host));
    if (busy) throw portBusyError(busy.host, 'another container');
    const health = container.spec.healthcheck ? 'starting' : 'none';
    Object.assign(container, {
      state: 'running',
      health,
      ports,
      startedAt: this.#now(),
      exitCode: undefined,
    });
    this.#emit(container, 'start');
  }

  /** What a stopped container exits with: 0, or 137 for a process that ignores SIGTERM until the timeout. */
  stopExitCode = 0;

  async stopContainer(id: string, timeoutSec?: number): Promise<void> {
    this.#record('stopContainer', [id, timeoutSec]);
    this.#exit(this.#require(id), this.stopExitCode);
  }

  /** The container's process ends on its own (a crash), as the engine would report it. */
  crash(idOrName: string, exitCode: number): void {
    this.#exit(this.#require(idOrName), exitCode);
  }

  #exit(container: ObservedContainer, exitCode: number): void {
    if (container.state !== 'running') return;
    Object.assign(container, { state: 'exited', health: 'none', ports: [], exitCode });
    this.#emit(container, 'die', { exitCode });
  }

  async signalContainer(id: string, signal: string): Promise<void> {
    this.#record('signalContainer', [id, signal]);
    this.#require(id);
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    this.#record('removeContainer', [id, options]);
    const container = this.#find(id);
    if (!container) return;
    if (container.state === 'running' && !options.force) {
      throw engineError(`remove container ${id}`, 'container is running: stop it first or use force');
    }
    // The engine kills a running container it force-removes: SIGKILL, so 137.
    this.#exit(container, 137);
    this.containers.delete(container.id);
    this.#emit(container, 'destroy');
  }

  async ensureNetwork(name: string, labels: Labels): Promise<ObservedNetwork> {
    this.#record('ensureNetwork', [name, labels]);
    return ensure(this.networks, name, labels, 'network', () => ({
      id: `net-${name}`,
      name,
      labels: { ...labels },
    }));
  }

  async listNetworks(filter: LabelFilter): Promise<ObservedNetwork[]> {
    this.#record('listNetworks', [filter]);
    return [...this.networks.values()].filter((n) => matchLabels(n.labels, filter));
  }

  async removeNetwork(idOrName: string): Promise<void> {
    this.#record('removeNetwork', [idOrName]);
    for (const [name, network] of this.networks) {
      if (network.id === idOrName || name === idOrName) this.networks.delete(name);
    }
  }

  async ensureVolume(name: string, labels: Labels): Promise<ObservedVolume> {
    this.#record('ensureVolume', [name, labels]);
    return ensure(this.volumes, name, labels, 'volume', () => ({ name, labels: { ...labels } }));
  }

  async listVolumes(filter: LabelFilter): Promise<ObservedVolume[]> {
    this.#record('listVolumes', [filter]);
    return [...this.volumes.values()].filter((v) => matchLabels(v.labels, filter));
  }

  async removeVolume(name: string): Promise<void> {
    this.#record('removeVolume', [name]);
    this.volumes.delete(name);
  }

  /** The fake's images carry no ENTRYPOINT or CMD, and the VOLUME paths of `imageVolumes`. */
  async imageConfig(ref: string): Promise<ImageConfig | undefined> {
    this.#record('imageConfig', [ref]);
    if (!this.images.has(ref)) return undefined;
    return {
      entrypoint: [],
      cmd: [],
      volumes: [...(this.imageVolumes.get(ref) ?? [])],
      labels: { ...this.imageLabels.get(ref) },
    };
  }

  async imageExists(ref: string): Promise<boolean> {
    this.#record('imageExists', [ref]);
    return this.images.has(ref);
  }

  async pullImage(ref: string, options: PullOptions = {}): Promise<void> {
    this.#record('pullImage', [ref]);
    options.signal?.throwIfAborted();
    if (!this.#registry.has(ref)) throw imageNotFoundError(ref, []);
    const base = { ref, layer: 'fakelayer', current: undefined, total: undefined };
    options.onProgress?.({ ...base, phase: 'downloading', status: 'Downloading', current: 1, total: 2 });
    options.onProgress?.({ ...base, phase: 'done', status: 'Pull complete' });
    this.images.add(ref);
  }

  async removeImage(ref: string): Promise<void> {
    this.#record('removeImage', [ref]);
    this.images.delete(ref);
  }

  async buildImage(options: BuildOptions): Promise<{ imageId: string }> {
    this.#record('buildImage', [options]);
    options.signal?.throwIfAborted();
    options.onProgress?.({ kind: 'output', text: `built ${options.tag}` });
    this.images.add(options.tag);
    this.imageLabels.set(options.tag, { ...options.labels });
    return { imageId: `sha256:${options.tag}` };
  }

  /** What `buildFingerprint` answers, by build context (tests change it to stand for an edit). */
  readonly fingerprints = new Map<string, string>();

  /** Files `buildFingerprint` reports, by build context (none unless a test sets them). */
  readonly fingerprintFiles = new Map<string, Map<string, string>>();

  async buildFingerprint(options: FingerprintOptions): Promise<BuildFingerprint> {
    this.#record('buildFingerprint', [options.context]);
    const files = this.fingerprintFiles.get(options.context) ?? new Map<string, string>();
    const value = this.fingerprints.get(options.context) ?? 'fingerprint-0';
    return { value, inputs: '', files };
  }

  async listImages(filter: LabelFilter): Promise<ObservedImage[]> {
    this.#record('listImages', [filter]);
    return [...this.imageLabels]
      .filter(([tag, labels]) => this.images.has(tag) && matchLabels(labels, filter))
      .map(([tag, labels]) => ({ id: `sha256:${tag}`, tags: [tag], labels }));
  }

  async *logs(id: string, options: LogsOptions = {}): AsyncIterable<LogLine> {
    this.#record('logs', [id, options]);
    const lines = this.logLines.get(this.#require(id).id) ?? [];
    yield* options.tail === undefined ? lines : lines.slice(-options.tail);
  }

  /** Files copied into each container, by id: destination → source. */
  readonly copied = new Map<string, Map<string, string>>();

  async copyToContainer(id: string, files: readonly CopiedFile[]): Promise<void> {
    this.#record('copyToContainer', [id, files]);
    const copied = this.copied.get(this.#require(id).id) ?? new Map<string, string>();
    for (const file of files) copied.set(file.destination, file.source);
    this.copied.set(this.#require(id).id, copied);
  }

  async exec(id: string, cmd: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.#record('exec', [id, cmd, options]);
    return this.execHandler(this.#require(id).id, cmd);
  }

  async execInteractive(
    id: string,
    cmd: readonly string[],
    options: InteractiveExecOptions,
  ): Promise<InteractiveExec> {
    this.#record('execInteractive', [id, cmd]);
    const result = this.execHandler(this.#require(id).id, cmd);
    options.stdout.write(result.stdout);
    options.stderr.write(result.stderr);
    return { resize: async () => {}, exited: Promise.resolve(result.exitCode) };
  }

  /** What `stats` reports for a running container (tests set figures per container name). */
  statsByName = new Map<string, ContainerStats>();

  async stats(idOrName: string): Promise<ContainerStats | undefined> {
    this.#record('stats', [idOrName]);
    const container = this.#find(idOrName);
    if (container?.state !== 'running') return undefined;
    return (
      this.statsByName.get(container.name) ?? { cpuNs: 0, systemCpuNs: 1, onlineCpus: 1, memoryBytes: 0 }
    );
  }

  async *events(options: EventsOptions): AsyncIterable<EngineEvent> {
    this.#record('events', [options.filter]);
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (event: EngineEvent) => {
      if (!matchLabels(event.labels, options.filter)) return;
      queue.push(event);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.#listeners.add(listener);
    options.signal.addEventListener('abort', onAbort);
    try {
      while (!options.signal.aborted) {
        const next = queue.shift();
        if (next) yield next;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      this.#listeners.delete(listener);
      options.signal.removeEventListener('abort', onAbort);
    }
  }

  #record(method: keyof ContainerRuntime, args: unknown[]): void {
    this.calls.push({ method, args });
    const error = this.#failures.get(method)?.shift();
    if (error) throw error;
  }

  #find(idOrName: string) {
    return this.containers.get(idOrName) ?? [...this.containers.values()].find((c) => c.name === idOrName);
  }

  #require(idOrName: string) {
    const found = this.#find(idOrName);
    if (!found) throw containerNotFoundError(idOrName);
    return found;
  }

  #emit(container: ObservedContainer, action: string, extra: { exitCode?: number } = {}): void {
    const event: EngineEvent = {
      type: 'container',
      action,
      id: container.id,
      name: container.name,
      labels: container.labels,
      exitCode: extra.exitCode,
      health: undefined,
      time: this.#now(),
    };
    for (const listener of this.#listeners) listener(event);
  }
}

function strip({ spec: _spec, ...observed }: ObservedContainer & { spec: ContainerSpec }): ObservedContainer {
  return { ...observed, ports: [...observed.ports] };
}

function ensure<T extends { name: string; labels: Labels }>(
  map: Map<string, T>,
  name: string,
  labels: Labels,
  kind: string,
  create: () => T,
): T {
  const existing = map.get(name);
  if (existing && !matchLabels(existing.labels, labels)) throw nameConflictError(kind, name, undefined, true);
  const value = existing ?? create();
  map.set(name, value);
  return value;
}
