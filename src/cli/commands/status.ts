import { environmentFilter } from '../../engine/observe-environment.js';
import { routerPort } from '../../router/router-paths.js';
import { findSupervisor } from '../../supervisor/attach-supervisor.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';
import { formatStatus, statusReport } from '../environment-status.js';
import { openRuntime } from '../open-runtime.js';

export const statusCommand = defineCommand({
  command: 'status',
  describe: 'Show every dependency and service: state, health, ports, restarts',
  builder: (yargs) =>
    withBranch(yargs).option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print the status as JSON',
    }),
  run: async (args, { io }) => {
    const { environment, paths } = await loadCliEnvironment(args, io);
    const attached = await findSupervisor(paths);
    const snapshot = attached
      ? await attached.client.request('status').finally(() => attached.client.close())
      : undefined;
    const runtime = await openRuntime(io.env);
    const containers = await runtime.listContainers(environmentFilter(environment.project, environment.env));
    const report = statusReport(
      environment,
      containers,
      attached && snapshot ? { pid: attached.hello.pid, snapshot } : undefined,
      routerPort(io.env),
    );
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
    return 0;
  },
});
