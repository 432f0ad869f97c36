import type Docker from 'dockerode';
import type { LabelFilter, Labels } from '../container-spec.js';
import { matchLabels } from '../match-labels.js';
import type { ObservedNetwork, ObservedVolume } from '../observed-state.js';
import { nameConflictError } from '../runtime-errors.js';
import { toLabelFilters } from './label-filters.js';
import { mapDockerError, statusCode } from './map-docker-error.js';

/** Networks and named volumes: created once per environment, adopted only when they carry its labels. */
export class NetworkAndVolumes {
  readonly #docker: Docker;
  readonly #endpoint: string;

  constructor(docker: Docker, endpoint: string) {
    this.#docker = docker;
    this.#endpoint = endpoint;
  }

  async ensureNetwork(name: string, labels: Labels): Promise<ObservedNetwork> {
    const existing = await this.#inspectNetwork(name);
    if (existing) return adopt('network', existing, labels);
    try {
      // CheckDuplicate: network names are otherwise not unique, and two `up`s could race to create one.
      await this.#docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        Labels: { ...labels },
        CheckDuplicate: true,
      });
    } catch (error) {
      if (statusCode(error) !== 409) throw this.#map(error, `create network "${name}"`);
    }
    const created = await this.#inspectNetwork(name);
    if (!created)
      throw this.#map(new Error('the network vanished right after creation'), `create network "${name}"`);
    return adopt('network', created, labels);
  }

  async listNetworks(filter: LabelFilter): Promise<ObservedNetwork[]> {
    try {
      const networks = await this.#docker.listNetworks({ filters: { label: toLabelFilters(filter) } });
      return networks.map((n) => ({ id: n.Id, name: n.Name, labels: { ...(n.Labels ?? {}) } }));
    } catch (error) {
      throw this.#map(error, 'list networks');
    }
  }

  async removeNetwork(idOrName: string): Promise<void> {
    try {
      await this.#docker.getNetwork(idOrName).remove();
    } catch (error) {
      if (statusCode(error) !== 404) throw this.#map(error, `remove network ${idOrName}`);
    }
  }

  async ensureVolume(name: string, labels: Labels): Promise<ObservedVolume> {
    try {
      // Creating an existing volume returns it unchanged (labels included), so one call serves both cases.
      const volume = await this.#docker.createVolume({ Name: name, Labels: { ...labels } });
      const info = await volume.inspect();
      return adopt('volume', { name: info.Name, labels: { ...(info.Labels ?? {}) } }, labels);
    } catch (error) {
      throw this.#map(error, `create volume "${name}"`);
    }
  }

  async listVolumes(filter: LabelFilter): Promise<ObservedVolume[]> {
    try {
      const { Volumes } = await this.#docker.listVolumes({ filters: { label: toLabelFilters(filter) } });
      return (Volumes ?? []).map((v) => ({ name: v.Name, labels: { ...(v.Labels ?? {}) } }));
    } catch (error) {
      throw this.#map(error, 'list volumes');
    }
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.#docker.getVolume(name).remove();
    } catch (error) {
      if (statusCode(error) !== 404) throw this.#map(error, `remove volume ${name}`);
    }
  }

  async #inspectNetwork(name: string): Promise<ObservedNetwork | undefined> {
    try {
      const info = await this.#docker.getNetwork(name).inspect();
      return { id: info.Id, name: info.Name, labels: { ...(info.Labels ?? {}) } };
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw this.#map(error, `inspect network ${name}`);
    }
  }

  #map(error: unknown, action: string): Error {
    return mapDockerError(error, { action, endpoint: this.#endpoint });
  }
}

// Someone else's object with our name must not be silently taken over (and later removed by `down`).
function adopt<T extends { name: string; labels: Labels }>(kind: string, found: T, labels: Labels): T {
  if (!matchLabels(found.labels, labels)) throw nameConflictError(kind, found.name, undefined, true);
  return found;
}
