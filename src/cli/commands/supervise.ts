import { readFileSync } from 'node:fs';
import { machineHostPorts } from '../../host/host-ports.js';
import { runSupervisor } from '../../supervisor/run-supervisor.js';
import { systemClock } from '../../util/clock.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';
import { openRuntime } from '../open-runtime.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Internal: the background supervisor process that `devenv up` starts. Hidden from --help. */
export const superviseCommand = defineCommand({
  command: '__supervise',
  describe: false,
  builder: (yargs) => withBranch(yargs),
  run: async (args, { io, signal }) => {
    const { environment, paths, load } = await loadCliEnvironment(args, io);
    await runSupervisor({
      initial: environment,
      load,
      paths,
      runtime: await openRuntime(io.env),
      hostPorts: machineHostPorts,
      clock: systemClock,
      version,
      signal,
      log: (line) => io.stdout(`${new Date().toISOString()} ${line}\n`),
    });
    return 0;
  },
});
