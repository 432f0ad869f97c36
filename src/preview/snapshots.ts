import { ExternalError } from '../errors/devenv-error.js';
import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Labels } from '../runtime/container-spec.js';
import type { ObservedVolume } from '../runtime/observed-state.js';
import { systemClock } from '../util/clock.js';
import { type DataVolume, dependencyDataVolumes } from './dependency-data-volumes.js';

/** Labels of a snapshot volume (never carries `devenv.preview`: gc leaves snapshots alone). */
export const SNAPSHOT_LABELS = {
  name: 'devenv.snapshot',
  dependency: 'devenv.snapshot.dependency',
  volume: 'devenv.snapshot.volume',
  created: 'devenv.snapshot.created',
  /** Which take of the snapshot a volume belongs to (base-36 milliseconds); absent on older snapshots. */
  generation: 'devenv.snapshot.generation',
  /** `1` on the empty volume that marks a take complete: created only once every copy has succeeded. */
  complete: 'devenv.snapshot.complete',
} as const;

/** `<project>-snapshot-<name>-<dependency>-<volume>`, plus `-<generation>` for takes since generations. */
export function snapshotVolumeName(
  project: string,
  snapshot: string,
  dependency: string,
  volume: string,
  generation?: string,
): string {
  const base = `${project}-snapshot-${snapshot}-${dependency}-${volume}`;
  return generation === undefined ? base : `${base}-${generation}`;
}

/** One volume a snapshot took: where the dependency keeps it, and the copy's name. */
export interface CapturedVolume {
  /** The path inside the dependency's container. */
  path: string;
  /** The local environment's volume. */
  source: string;
  /** The snapshot volume holding the copy. */
  target: string;
}

/**
 * Copies `volumes` (the dependency's data volumes in the local environment, `dependencyDataVolumes`:
 * its own and those standing in for its image's VOLUMEs) into a new take of the snapshot. The
 * dependency is stopped during the copy (a database's files are only consistent at rest) and started
 * again afterwards. Only once every copy has succeeded is the take marked complete and the older take
 * removed: a failed or interrupted snapshot leaves the previous one in use and removes its own partial
 * copies. Returns the volumes copied.
 */
export async function captureSnapshot(
  runtime: ContainerRuntime,
  options: {
    environment: ResolvedEnvironment;
    snapshot: string;
    dependency: ResolvedDependency;
    volumes: readonly DataVolume[];
    signal: AbortSignal;
  },
): Promise<CapturedVolume[]> {
  const { dependency, snapshot, volumes } = options;
  const { project, env } = options.environment;
  if (volumes.length === 0) return [];
  const [container] = await runtime.listContainers({
    'devenv.project': project,
    'devenv.env': env,
    'devenv.name': dependency.name,
  });
  const existing = new Set((await runtime.listVolumes({ 'devenv.project': project })).map((v) => v.name));
  const missing = volumes.find((volume) => !existing.has(volume.volumeName));
  if (missing !== undefined) throw noDataError(dependency, missing, container !== undefined);
  const generation = Date.now().toString(36);
  const labels = {
    'devenv.project': project,
    [SNAPSHOT_LABELS.name]: snapshot,
    [SNAPSHOT_LABELS.dependency]: dependency.name,
    [SNAPSHOT_LABELS.generation]: generation,
    [SNAPSHOT_LABELS.created]: new Date().toISOString(),
  };
  const wasRunning = container?.state === 'running';
  if (container !== undefined && wasRunning) await runtime.stopContainer(container.id);
  const copied: CapturedVolume[] = [];
  try {
    for (const volume of volumes) {
      // The volume's name in devenv.yaml, or `anon-<hash of the path>` for an image's: the same in
      // every environment, so a preview finds the copy of each of its own volumes.
      const target = snapshotVolumeName(project, snapshot, dependency.name, volume.name, generation);
      copied.push({ path: volume.path, source: volume.volumeName, target });
      await runtime.ensureVolume(target, { ...labels, [SNAPSHOT_LABELS.volume]: volume.name });
      await copyVolume(runtime, {
        image: dependency.image,
        from: volume.volumeName,
        to: target,
        labels: { 'devenv.project': project },
        signal: options.signal,
      });
    }
    // `_` cannot start a volume key of devenv.yaml, so the marker never takes a copied volume's name.
    await runtime.ensureVolume(
      snapshotVolumeName(project, snapshot, dependency.name, '_complete', generation),
      {
        ...labels,
        [SNAPSHOT_LABELS.complete]: '1',
      },
    );
  } catch (error) {
    for (const partial of copied) await runtime.removeVolume(partial.target);
    throw error;
  } finally {
    if (container !== undefined && wasRunning) await runtime.startContainer(container.id);
  }
  const takes = await runtime.listVolumes({
    'devenv.project': project,
    [SNAPSHOT_LABELS.name]: snapshot,
    [SNAPSHOT_LABELS.dependency]: dependency.name,
  });
  for (const older of takes.filter((v) => v.labels[SNAPSHOT_LABELS.generation] !== generation)) {
    await runtime.removeVolume(older.name);
  }
  return copied;
}

function noDataError(
  dependency: ResolvedDependency,
  missing: DataVolume,
  hasContainer: boolean,
): ExternalError {
  return new ExternalError(
    'SNAPSHOT_NO_DATA',
    `${dependency.name} has no data to snapshot yet (volume ${missing.volumeName} for ${missing.path} does not exist).`,
    {
      hint:
        missing.fromImage && hasContainer
          ? // Containers created before devenv named image volumes keep that data in an anonymous one.
            `Its container predates devenv's named volume for ${missing.path}: recreate it (\`devenv down\` then \`devenv up\`; it starts empty), put the data you want in it, then take the snapshot.`
          : 'Run `devenv up` first, put the data you want in it, then take the snapshot.',
    },
  );
}

/**
 * Fills a new preview's data volumes of `dependency` (its own and those standing in for its image's
 * VOLUMEs, named and labelled as the engine's executor will look for them) from the snapshot's newest
 * complete take, before the dependency first starts. A volume without a snapshot copy starts empty.
 * Returns the container paths restored.
 */
export async function restoreSnapshot(
  runtime: ContainerRuntime,
  options: {
    environment: ResolvedEnvironment;
    snapshot: string;
    dependency: ResolvedDependency;
    signal: AbortSignal;
  },
): Promise<string[]> {
  const { dependency, environment, snapshot } = options;
  const { project } = environment;
  const snapshots = await runtime.listVolumes({
    [SNAPSHOT_LABELS.name]: snapshot,
    'devenv.project': project,
  });
  const taken = snapshots.filter((v) => v.labels[SNAPSHOT_LABELS.dependency] === dependency.name);
  // Nothing of this dependency in the snapshot: no pull just to learn its image's VOLUMEs.
  if (taken.length === 0) return [];
  const names = new Set(taken.map((v) => v.name));
  const generation = newestCompleteTake(snapshots, dependency.name);
  if (!(await runtime.imageExists(dependency.image)))
    await runtime.pullImage(dependency.image, { signal: options.signal });
  // The same paths `createAndStartContainer` will give a named volume, from the same image config.
  const image = await runtime.imageConfig(dependency.image);
  const restored: string[] = [];
  for (const volume of dependencyDataVolumes(environment, dependency, image?.volumes ?? [])) {
    const source = snapshotVolumeName(project, snapshot, dependency.name, volume.name, generation);
    if (!names.has(source)) continue;
    await runtime.ensureVolume(volume.volumeName, volume.labels);
    await copyVolume(runtime, {
      image: dependency.image,
      from: source,
      to: volume.volumeName,
      labels: environment.labels,
      signal: options.signal,
    });
    restored.push(volume.path);
  }
  return restored;
}

/**
 * The generation of the dependency's newest take that was marked complete; undefined when there is
 * none, which leaves a snapshot taken before generations (its volumes carry the bare names).
 */
function newestCompleteTake(volumes: readonly ObservedVolume[], dependency: string): string | undefined {
  return volumes
    .filter(
      (v) =>
        v.labels[SNAPSHOT_LABELS.complete] === '1' && v.labels[SNAPSHOT_LABELS.dependency] === dependency,
    )
    .map((v) => v.labels[SNAPSHOT_LABELS.generation] ?? '')
    .sort((a, b) => Number.parseInt(b, 36) - Number.parseInt(a, 36))[0];
}

/** `cp -a` between two volumes in a short-lived helper container of `image` (any image with sh and cp). */
async function copyVolume(
  runtime: ContainerRuntime,
  options: { image: string; from: string; to: string; labels: Labels; signal: AbortSignal },
): Promise<void> {
  const helper = await runtime.createContainer({
    name: `devenv-copy-${options.to.slice(0, 80)}-${Date.now().toString(36)}`,
    image: options.image,
    entrypoint: ['sh', '-c'],
    cmd: ['cp -a /from/. /to/'],
    user: '0',
    labels: { ...options.labels, 'devenv.helper': 'volume-copy' },
    mounts: [
      { kind: 'volume', volume: options.from, target: '/from', readOnly: true },
      { kind: 'volume', volume: options.to, target: '/to' },
    ],
  });
  try {
    await runtime.startContainer(helper.id);
    for (;;) {
      const state = await runtime.inspectContainer(helper.id);
      if (state === undefined || state.state === 'exited' || state.state === 'dead') {
        if (state?.exitCode !== 0)
          throw new ExternalError(
            'VOLUME_COPY_FAILED',
            `Copying volume ${options.from} to ${options.to} failed (exit ${state?.exitCode ?? 'unknown'}).`,
          );
        return;
      }
      await systemClock.sleep(100, options.signal);
    }
  } finally {
    await runtime.removeContainer(helper.id, { force: true });
  }
}
