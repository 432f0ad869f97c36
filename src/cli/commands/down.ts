import { environmentFilter } from '../../engine/observe-environment.js';
import { findSupervisor } from '../../supervisor/attach-supervisor.js';
import { killLeftoverGroups } from '../../supervisor/process-groups-file.js';
import { removeSelectionFile } from '../../supervisor/selection-file.js';
import { supervisorPaths } from '../../supervisor/supervisor-paths.js';
import { defineCommand } from '../command.js';
import { withBranch } from '../environment-options.js';
import { environmentOrIdentity } from '../environment-or-identity.js';
import { openRuntime } from '../open-runtime.js';

export const downCommand = defineCommand({
  command: 'down',
  describe: 'Stop and remove what devenv created for this environment (data volumes only with --volumes)',
  builder: (yargs) =>
    withBranch(yargs).option('volumes', {
      alias: 'v',
      type: 'boolean',
      default: false,
      describe: "Also remove the environment's data volumes (databases start empty next time)",
    }),
  run: async (args, { io }) => {
    const environment = await environmentOrIdentity(
      args,
      io,
      (project, env) => `stopping ${project}/${env} by what runs`,
    );
    const paths = supervisorPaths(environment.project, environment.env, io.env);
    const supervisor = await findSupervisor(paths);
    if (supervisor) {
      await supervisor.client.request('shutdown');
      await supervisor.client.closed;
    } else {
      // A killed supervisor could not stop its services: their process groups still hold their ports.
      await killLeftoverGroups(paths.groupsFile, (line) => io.stderr(`devenv: ${line}\n`));
    }
    // `devenv up api` adds to what runs until `down`: the next `up` starts from the defaults again.
    await removeSelectionFile(paths.selectionFile);

    const runtime = await openRuntime(io.env);
    const filter = environmentFilter(environment.project, environment.env);
    const containers = await runtime.listContainers(filter);
    // Stop first (the image's stop signal, then SIGKILL after a grace period) so databases shut down cleanly.
    await Promise.all(
      containers.map(async (container) => {
        await runtime.stopContainer(container.id);
        await runtime.removeContainer(container.id, { force: true });
      }),
    );
    const networks = await runtime.listNetworks(filter);
    for (const network of networks) await runtime.removeNetwork(network.id);
    const volumes = await runtime.listVolumes(filter);
    if (args.volumes) for (const volume of volumes) await runtime.removeVolume(volume.name);

    const kept =
      args.volumes || volumes.length === 0
        ? ''
        : `; kept ${plural(volumes.length, 'data volume')} (--volumes removes them)`;
    const removedVolumes = args.volumes ? `, ${plural(volumes.length, 'volume')}` : '';
    io.stdout(
      `Removed ${plural(containers.length, 'container')}, ${plural(networks.length, 'network')}${removedVolumes} of ${environment.project}/${environment.env}${kept}.\n`,
    );
    return 0;
  },
});

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
