import { ExternalError, UsageError } from '../../errors/devenv-error.js';
import type { ResolvedDependency } from '../../model/resolved-dependency.js';
import type { ResolvedEnvironment } from '../../model/resolved-environment.js';
import { type DataVolume, dependencyDataVolumes } from '../../preview/dependency-data-volumes.js';
import { captureSnapshot } from '../../preview/snapshots.js';
import type { ContainerRuntime } from '../../runtime/container-runtime.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';
import { openRuntime } from '../open-runtime.js';
import { unknownNameError } from '../unknown-name-error.js';

export const snapshotCommand = defineCommand({
  command: 'snapshot <name>',
  describe: "Copy the local environment's dependency data into a named snapshot new previews can start from",
  builder: (yargs) =>
    withBranch(yargs)
      .positional('name', {
        type: 'string',
        demandOption: true,
        describe: 'Snapshot name (preview.snapshot)',
      })
      .option('dependency', {
        type: 'string',
        requiresArg: true,
        describe: 'Only this dependency (default: every dependency with data in a volume)',
      }),
  run: async (args, { io, signal }) => {
    const name = String(args.name);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new UsageError('BAD_NAME', `Snapshot name ${name} is not a name.`, {
        hint: 'Use lowercase letters, digits and hyphens, e.g. `demo-data`.',
      });
    }
    const { environment, declared } = await loadCliEnvironment(args, io, { readSecrets: false });
    const known = environment.dependencies.map((dependency) => dependency.name);
    if (args.dependency !== undefined && !known.includes(args.dependency)) {
      throw unknownNameError(args.dependency, {
        project: environment.project,
        declared,
        running: environment.startOrder,
        kind: 'a dependency',
      });
    }
    const runtime = await openRuntime(io.env);
    const chosen: { dependency: ResolvedDependency; volumes: DataVolume[] }[] = [];
    for (const dependency of environment.dependencies) {
      if (args.dependency !== undefined && dependency.name !== args.dependency) continue;
      const volumes = await localDataVolumes(runtime, environment, dependency);
      if (volumes.length > 0) chosen.push({ dependency, volumes });
    }
    if (chosen.length === 0) {
      throw new UsageError(
        'NOTHING_TO_SNAPSHOT',
        args.dependency === undefined
          ? 'No dependency keeps data in a volume to snapshot.'
          : `${args.dependency} keeps no data in a volume to snapshot.`,
        {
          hint: 'Snapshots copy what a dependency keeps in its `volumes:` (e.g. a postgres preset’s data) or in the paths its image declares with VOLUME (e.g. a plain `image: postgres:17`).',
        },
      );
    }
    for (const { dependency, volumes } of chosen) {
      const paths = volumes.map((volume) => volume.path).join(', ');
      io.stderr(`${dependency.name}: copying ${paths} (stopped during the copy)…\n`);
      const copied = await captureSnapshot(runtime, {
        environment,
        snapshot: name,
        dependency,
        volumes,
        signal,
      });
      const copies = copied.map((volume) => `${volume.path} → ${volume.target}`).join(', ');
      io.stdout(`${dependency.name}: snapshot ${name}: ${copies}\n`);
    }
    io.stderr(`New previews start from it with \`preview: { snapshot: ${name} }\` in devenv.yaml.\n`);
    return 0;
  },
});

/**
 * The dependency's data volumes in the local environment: its `volumes:` and those devenv made for its
 * image's VOLUME paths. Those paths come from the image on the engine; without it `up` never ran the
 * dependency, so there is no data to copy yet.
 */
async function localDataVolumes(
  runtime: ContainerRuntime,
  environment: ResolvedEnvironment,
  dependency: ResolvedDependency,
): Promise<DataVolume[]> {
  const image = await runtime.imageConfig(dependency.image);
  if (image === undefined) {
    throw new ExternalError(
      'SNAPSHOT_NO_DATA',
      `${dependency.name} has no data to snapshot yet (its image ${dependency.image} is not on the engine).`,
      { hint: 'Run `devenv up` first, put the data you want in it, then take the snapshot.' },
    );
  }
  return dependencyDataVolumes(environment, dependency, image.volumes);
}
