import { UsageError } from '../../errors/devenv-error.js';
import { captureSnapshot } from '../../preview/snapshots.js';
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
        describe: 'Only this dependency (default: every dependency with a volume)',
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
    const chosen = environment.dependencies.filter(
      (dependency) =>
        (args.dependency === undefined || dependency.name === args.dependency) &&
        dependency.volumes.length > 0,
    );
    if (chosen.length === 0) {
      throw new UsageError('NOTHING_TO_SNAPSHOT', 'No dependency with a data volume to snapshot.', {
        hint: 'Snapshots copy dependency volumes (e.g. a postgres preset’s data).',
      });
    }
    const runtime = await openRuntime(io.env);
    for (const dependency of chosen) {
      io.stderr(`${dependency.name}: copying its data (stopped during the copy)…\n`);
      const volumes = await captureSnapshot(runtime, {
        project: environment.project,
        env: environment.env,
        snapshot: name,
        dependency,
        signal,
      });
      io.stdout(`${dependency.name}: snapshot ${name} → ${volumes.join(', ')}\n`);
    }
    io.stderr(`New previews start from it with \`preview: { snapshot: ${name} }\` in devenv.yaml.\n`);
    return 0;
  },
});
