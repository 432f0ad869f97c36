import { containerEntities } from '../../engine/container-entity.js';
import { environmentFilter } from '../../engine/observe-environment.js';
import { UsageError } from '../../errors/devenv-error.js';
import { DevenvLabel } from '../../runtime/container-spec.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';
import { openRuntime } from '../open-runtime.js';
import { unknownNameError } from '../unknown-name-error.js';

export const execCommand = defineCommand({
  command: 'exec <name> [command..]',
  describe:
    'Run a command inside a dependency or container service (e.g. `devenv exec db -- psql -U app`); a shell by default',
  builder: (yargs) =>
    withBranch(yargs)
      .positional('name', {
        type: 'string',
        demandOption: true,
        describe: 'Dependency name from devenv.yaml',
      })
      .positional('command', { type: 'string', array: true, describe: 'Command and arguments (after --)' })
      .parserConfiguration({ 'populate--': true }),
  run: async (args, { io, signal }) => {
    const { environment, declared } = await loadCliEnvironment(args, io, { readSecrets: false });
    const names = containerEntities(environment).map((entity) => entity.name);
    if (!names.includes(args.name)) {
      throw unknownNameError(args.name, {
        project: environment.project,
        declared,
        running: environment.startOrder,
        kind: 'a container (a dependency, or a service with build:/image:)',
      });
    }
    const extra = (args as unknown as { '--'?: string[] })['--'] ?? [];
    const command = [...(args.command ?? []), ...extra].map(String);
    const runtime = await openRuntime(io.env);
    const [container] = await runtime.listContainers({
      ...environmentFilter(environment.project, environment.env),
      [DevenvLabel.name]: args.name,
    });
    if (container === undefined || container.state !== 'running') {
      throw new UsageError('NOT_RUNNING', `${args.name} is not running.`, {
        hint: 'Start it with `devenv up -d`.',
      });
    }
    const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
    if (tty) process.stdin.setRawMode(true);
    try {
      const running = await runtime.execInteractive(container.id, command.length > 0 ? command : ['sh'], {
        tty,
        ...(tty ? { size: { columns: process.stdout.columns, rows: process.stdout.rows } } : {}),
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        signal,
      });
      const onResize = (): void =>
        void running.resize({ columns: process.stdout.columns, rows: process.stdout.rows });
      if (tty) process.stdout.on('resize', onResize);
      const code = await running.exited;
      process.stdout.off('resize', onResize);
      return code;
    } finally {
      if (tty) process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  },
});
