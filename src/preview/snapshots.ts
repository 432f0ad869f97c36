import { ExternalError } from '../errors/devenv-error.js';
import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Labels } from '../runtime/container-spec.js';
import type { ObservedVolume } from '../runtime/observed-state.js';
import { systemClock } from '../util/clock.js';

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

/**
 * Copies every volume of `dependency` (from the local environment's volumes) into a new take of the
 * snapshot. The dependency is stopped during the copy (a database's files are only consistent at rest)
 * and started again afterwards. Only once every copy has succeeded is the take marked complete and the
 * older take removed: a failed or interrupted snapshot leaves the previous one in use and removes its
 * own partial copies. Returns the volumes copied.
 */
export async function captureSnapshot(
  runtime: ContainerRuntime,
  options: {
    project: string;
    env: string;
    snapshot: string;
    dependency: ResolvedDependency;
    signal: AbortSignal;
  },
): Promise<string[]> {
  const { dependency, project, snapshot } = options;
  if (dependency.volumes.length === 0) return [];
  const [container] = await runtime.listContainers({
    'devenv.project': project,
    'devenv.env': options.env,
    'devenv.name': dependency.name,
  });
  const existing = new Set((await runtime.listVolumes({ 'devenv.project': project })).map((v) => v.name));
  const missing = dependency.volumes.filter((volume) => !existing.has(volume.volumeName));
  if (missing.length > 0) {
    throw new ExternalError(
      'SNAPSHOT_NO_DATA',
      `${dependency.name} has no data to snapshot yet (volume ${missing[0]?.volumeName} does not exist).`,
      { hint: 'Run `devenv up` first, put the data you want in it, then take the snapshot.' },
    );
  }
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
  const copied: string[] = [];
  try {
    for (const volume of dependency.volumes) {
      const target = snapshotVolumeName(project, snapshot, dependency.name, volume.name, generation);
      copied.push(target);
      await runtime.ensureVolume(target, { ...labels, [SNAPSHOT_LABELS.volume]: volume.name });
      await copyVolume(runtime, {
        image: dependency.image,
        from: volume.volumeName,
        to: target,
        labels: { 'devenv.project': project },
        signal: options.signal,
      });
    }
    await runtime.ensureVolume(`${project}-snapshot-${snapshot}-${dependency.name}-complete-${generation}`, {
      ...labels,
      [SNAPSHOT_LABELS.complete]: '1',
    });
  } catch (error) {
    for (const partial of copied) await runtime.removeVolume(partial);
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

/**
 * Fills a new preview's volumes of `dependency` from the snapshot's newest complete take, before the
 * dependency first starts. A volume without a snapshot copy starts empty. Returns how many volumes
 * were restored.
 */
export async function restoreSnapshot(
  runtime: ContainerRuntime,
  options: {
    project: string;
    snapshot: string;
    dependency: ResolvedDependency;
    labels: Labels;
    signal: AbortSignal;
  },
): Promise<number> {
  const { dependency, project, snapshot } = options;
  const volumes = await runtime.listVolumes({
    [SNAPSHOT_LABELS.name]: snapshot,
    'devenv.project': project,
  });
  const names = new Set(volumes.map((v) => v.name));
  const generation = newestCompleteTake(volumes, dependency.name);
  let restored = 0;
  for (const volume of dependency.volumes) {
    const source = snapshotVolumeName(project, snapshot, dependency.name, volume.name, generation);
    if (!names.has(source)) continue;
    if (!(await runtime.imageExists(dependency.image)))
      await runtime.pullImage(dependency.image, { signal: options.signal });
    await runtime.ensureVolume(volume.volumeName, options.labels);
    await copyVolume(runtime, {
      image: dependency.image,
      from: source,
      to: volume.volumeName,
      labels: options.labels,
      signal: options.signal,
    });
    restored++;
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
