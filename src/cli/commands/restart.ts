import { UsageError } from '../../errors/devenv-error.js';
import { findSupervisor } from '../../supervisor/attach-supervisor.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';
import { unknownNameError } from '../unknown-name-error.js';

export const restartCommand = defineCommand({
  command: 'restart <name>',
  describe: 'Restart one dependency or service and wait until it is ready again',
  builder: (yargs) =>
    withBranch(yargs).positional('name', {
      type: 'string',
      demandOption: true,
      describe: 'Name from devenv.yaml',
    }),
  run: async (args, { io }) => {
    const { environment, paths, declared } = await loadCliEnvironment(args, io, { readSecrets: false });
    if (!environment.startOrder.includes(args.name)) {
      throw unknownNameError(args.name, {
        project: environment.project,
        declared,
        running: environment.startOrder,
        kind: 'a dependency or service',
      });
    }
    const attached = await findSupervisor(paths);
    if (!attached) {
      throw new UsageError('NOT_RUNNING', `${environment.project}/${environment.env} is not running.`, {
        hint: 'Start it with `devenv up` (or `devenv up -d`).',
      });
    }
    const started = Date.now();
    try {
      await attached.client.request('restart', { name: args.name });
    } finally {
      attached.client.close();
    }
    io.stdout(`${args.name} restarted and ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    return 0;
  },
});
