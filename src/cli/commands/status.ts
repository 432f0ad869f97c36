import { environmentFilter } from '../../engine/observe-environment.js';
import { routerPort } from '../../router/router-paths.js';
import { findSupervisor } from '../../supervisor/attach-supervisor.js';
import { supervisorPaths } from '../../supervisor/supervisor-paths.js';
import { defineCommand } from '../command.js';
import { withBranch } from '../environment-options.js';
import { environmentOrIdentity } from '../environment-or-identity.js';
import { formatStatus, statusOfWhatRuns, statusReport } from '../environment-status.js';
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
    const target = await environmentOrIdentity(
      args,
      io,
      (project, env) => `showing what runs of ${project}/${env}`,
    );
    const paths = supervisorPaths(target.project, target.env, io.env);
    const attached = await findSupervisor(paths);
    const snapshot = attached
      ? await attached.client.request('status').finally(() => attached.client.close())
      : undefined;
    const runtime = await openRuntime(io.env);
    const containers = await runtime.listContainers(environmentFilter(target.project, target.env));
    const supervisor = attached && snapshot ? { pid: attached.hello.pid, snapshot } : undefined;
    const report = target.loaded
      ? statusReport(target.loaded.environment, containers, supervisor, routerPort(io.env))
      : statusOfWhatRuns({ ...target, branch: args.branch }, containers, supervisor, routerPort(io.env));
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
    return 0;
  },
});
