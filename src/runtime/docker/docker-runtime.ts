import type Docker from 'dockerode';
import type { BuildFingerprint } from '../build-fingerprint.js';
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
} from '../container-runtime.js';
import type { ContainerSpec, LabelFilter, Labels } from '../container-spec.js';
import type {
  EngineInfo,
  ImageConfig,
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedVolume,
} from '../observed-state.js';
import {
  containerNotFoundError,
  engineError,
  imageNotPresentError,
  nameConflictError,
  portBusyError,
} from '../runtime-errors.js';
import type { EngineEvent, ExecResult, LogLine } from '../runtime-streams.js';
import { buildFingerprint } from './build-fingerprint.js';
import { buildImage } from './build-image.js';
import { openEngine, pingEngine } from './connect-engine.js';
import { readContainerStats } from './container-stats.js';
import { copyFiles } from './copy-files.js';
import { execCommand, execInteractive } from './exec-command.js';
import { findPortHolder, parsePortBusy } from './find-port-holder.js';
import { toLabelFilters } from './label-filters.js';
import { mapContainer } from './map-container.js';
import { type ErrorContext, engineMessage, mapDockerError, statusCode } from './map-docker-error.js';
import { NetworkAndVolumes } from './network-and-volumes.js';
import { imageExists, pullImage } from './pull-image.js';
import { streamLogs } from './stream-logs.js';
import { toCreateOptions } from './to-create-options.js';
import { watchEvents } from './watch-events.js';

/** The container runtime on a Docker engine; the only place (with its helpers) that speaks dockerode. */
export class DockerRuntime implements ContainerRuntime {
  readonly #docker: Docker;
  readonly #env: NodeJS.ProcessEnv;
  readonly #endpoint: string;
  readonly #objects: NetworkAndVolumes;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const { docker, endpoint } = openEngine(env);
    this.#docker = docker;
    this.#env = env;
    this.#endpoint = endpoint.url;
    this.#objects = new NetworkAndVolumes(docker, endpoint.url);
  }

  ping(): Promise<EngineInfo> {
    return pingEngine(this.#docker, this.#env);
  }

  async listContainers(filter: LabelFilter): Promise<ObservedContainer[]> {
    const listed = await this.#call('list containers', () =>
      this.#docker.listContainers({ all: true, filters: { label: toLabelFilters(filter) } }),
    );
    // The listing lacks health and exact state; inspecting each is a handful of local calls.
    const inspected = await Promise.all(listed.map((c) => this.inspectContainer(c.Id)));
    // A container removed between the listing and its inspection is simply no longer observed.
    return inspected.filter((c): c is ObservedContainer => c !== undefined);
  }

  async inspectContainer(idOrName: string): Promise<ObservedContainer | undefined> {
    try {
      return mapContainer(await this.#docker.getContainer(idOrName).inspect());
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw mapDockerError(error, { action: `inspect container ${idOrName}`, endpoint: this.#endpoint });
    }
  }

  async createContainer(spec: ContainerSpec): Promise<ObservedContainer> {
    const created = await this.#call(
      `create container "${spec.name}"`,
      () => this.#docker.createContainer(toCreateOptions(spec)),
      {
        onNotFound: (cause) => this.#missingOnCreate(spec, cause),
        onConflict: (cause) => nameConflictError('container', spec.name, cause),
      },
    );
    const observed = await this.inspectContainer(created.id);
    if (!observed) throw containerNotFoundError(spec.name);
    return observed;
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.#docker.getContainer(id).start();
    } catch (error) {
      const status = statusCode(error);
      if (status === 304) return; // already running
      if (status === 404) throw containerNotFoundError(id, error);
      const { busy, port } = parsePortBusy(engineMessage(error));
      if (status === 500 && busy) {
        const local = this.#endpoint.startsWith('unix://') || this.#endpoint.startsWith('npipe://');
        const holder = port === undefined ? undefined : await findPortHolder(this.#docker, port, local);
        throw portBusyError(port, holder, error);
      }
      throw mapDockerError(error, { action: `start container ${id}`, endpoint: this.#endpoint });
    }
  }

  async stopContainer(id: string, timeoutSec?: number): Promise<void> {
    try {
      await this.#docker.getContainer(id).stop(timeoutSec === undefined ? {} : { t: timeoutSec });
    } catch (error) {
      const status = statusCode(error);
      if (status === 304) return; // already stopped
      if (status === 404) throw containerNotFoundError(id, error);
      throw mapDockerError(error, { action: `stop container ${id}`, endpoint: this.#endpoint });
    }
  }

  async signalContainer(id: string, signal: string): Promise<void> {
    try {
      await this.#docker.getContainer(id).kill({ signal });
    } catch (error) {
      const status = statusCode(error);
      if (status === 409) return; // not running
      if (status === 404) throw containerNotFoundError(id, error);
      throw mapDockerError(error, { action: `signal container ${id}`, endpoint: this.#endpoint });
    }
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      // The engine never removes named volumes with a container, so devenv's data volumes survive,
      // including those standing in for the image's VOLUMEs (`imageVolumes`). `v` removes what is still
      // anonymous (helper and preview service containers, containers created before those volumes),
      // which nothing could find again: without it, each recreate would leak one.
      await this.#docker.getContainer(id).remove({ force: options.force ?? false, v: true });
    } catch (error) {
      if (statusCode(error) === 404) return;
      throw mapDockerError(error, { action: `remove container ${id}`, endpoint: this.#endpoint });
    }
  }

  ensureNetwork(name: string, labels: Labels): Promise<ObservedNetwork> {
    return this.#objects.ensureNetwork(name, labels);
  }

  listNetworks(filter: LabelFilter): Promise<ObservedNetwork[]> {
    return this.#objects.listNetworks(filter);
  }

  removeNetwork(idOrName: string): Promise<void> {
    return this.#objects.removeNetwork(idOrName);
  }

  ensureVolume(name: string, labels: Labels): Promise<ObservedVolume> {
    return this.#objects.ensureVolume(name, labels);
  }

  listVolumes(filter: LabelFilter): Promise<ObservedVolume[]> {
    return this.#objects.listVolumes(filter);
  }

  removeVolume(name: string): Promise<void> {
    return this.#objects.removeVolume(name);
  }

  imageExists(ref: string): Promise<boolean> {
    return imageExists(this.#docker, ref, this.#endpoint);
  }

  async imageConfig(ref: string): Promise<ImageConfig | undefined> {
    try {
      const { Config } = await this.#docker.getImage(ref).inspect();
      // An image's config stores both as arrays; dockerode's type also allows a (shell-form) string.
      const list = (value: string | string[] | undefined): string[] =>
        value === undefined || value === null
          ? []
          : typeof value === 'string'
            ? ['/bin/sh', '-c', value]
            : value;
      return {
        entrypoint: list(Config.Entrypoint),
        cmd: list(Config.Cmd),
        // The engine sends null for an image without VOLUME, or without labels.
        volumes: Object.keys(Config.Volumes ?? {}),
        labels: Config.Labels ?? {},
      };
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw mapDockerError(error, { action: `inspect image ${ref}`, endpoint: this.#endpoint });
    }
  }

  pullImage(ref: string, options: PullOptions = {}): Promise<void> {
    return pullImage(this.#docker, ref, options, {
      endpoint: this.#endpoint,
      mirrors: () => this.#mirrors(),
    });
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.#docker.getImage(ref).remove();
    } catch (error) {
      if (statusCode(error) !== 404)
        throw mapDockerError(error, { action: `remove image ${ref}`, endpoint: this.#endpoint });
    }
  }

  buildImage(options: BuildOptions): Promise<{ imageId: string }> {
    return buildImage(this.#docker, options, this.#endpoint);
  }

  buildFingerprint(options: FingerprintOptions): Promise<BuildFingerprint> {
    return buildFingerprint(options);
  }

  async listImages(filter: LabelFilter): Promise<ObservedImage[]> {
    try {
      const images = await this.#docker.listImages({
        filters: JSON.stringify({ label: toLabelFilters(filter) }),
      });
      return images.map((image) => ({
        id: image.Id,
        tags: (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
        labels: image.Labels ?? {},
      }));
    } catch (error) {
      throw mapDockerError(error, { action: 'list images', endpoint: this.#endpoint });
    }
  }

  logs(id: string, options: LogsOptions = {}): AsyncIterable<LogLine> {
    return streamLogs(this.#docker, id, options, this.#endpoint);
  }

  exec(id: string, cmd: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execCommand(this.#docker, id, cmd, options, this.#endpoint);
  }

  async copyToContainer(id: string, files: readonly CopiedFile[]): Promise<void> {
    if (files.length === 0) return;
    await this.#call(
      `copy files into container ${id}`,
      () => copyFiles(this.#docker.getContainer(id), files),
      {
        onNotFound: (cause) => containerNotFoundError(id, cause),
      },
    );
  }

  execInteractive(
    id: string,
    cmd: readonly string[],
    options: InteractiveExecOptions,
  ): Promise<InteractiveExec> {
    return execInteractive(this.#docker, id, cmd, options, this.#endpoint);
  }

  events(options: EventsOptions): AsyncIterable<EngineEvent> {
    return watchEvents(this.#docker, options, this.#endpoint);
  }

  async stats(idOrName: string): Promise<ContainerStats | undefined> {
    try {
      return await readContainerStats(this.#docker, idOrName);
    } catch (error) {
      // Gone between the listing and the reading: simply nothing to show.
      if (statusCode(error) === 404) return undefined;
      throw mapDockerError(error, { action: `read stats of ${idOrName}`, endpoint: this.#endpoint });
    }
  }

  async #call<T>(
    action: string,
    run: () => Promise<T>,
    handlers: Pick<ErrorContext, 'onNotFound' | 'onConflict'> = {},
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapDockerError(error, { action, endpoint: this.#endpoint, ...handlers });
    }
  }

  // Creating fails with 404 for a missing image, or a missing network, which the engine's message names.
  #missingOnCreate(spec: ContainerSpec, cause: unknown) {
    const message = engineMessage(cause);
    if (/no such image/i.test(message)) return imageNotPresentError(spec.image, cause);
    return engineError(`create container "${spec.name}"`, message, cause);
  }

  async #mirrors(): Promise<readonly string[]> {
    return (await this.ping()).registryMirrors;
  }
}
