import { UsageError } from '../../errors/devenv-error.js';
import { PREVIEW_LABEL } from '../../preview/preview-contract.js';
import { DevenvLabel } from '../../runtime/container-spec.js';
import type { LogLine } from '../../runtime/runtime-streams.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { previewTarget, withPreviewBranch } from './preview-options.js';

export const previewLogsCommand = defineCommand({
  command: 'logs',
  describe: "Show the logs of this branch's preview (every service and dependency, or --service)",
  builder: (yargs) =>
    withPreviewBranch(yargs)
      .option('service', { type: 'string', requiresArg: true, describe: 'Only this service or dependency' })
      .option('follow', { type: 'boolean', default: false, describe: 'Keep printing new lines (-f)' })
      .option('tail', { type: 'number', requiresArg: true, describe: 'Only the last N lines of each' }),
  run: async (args, { io, signal }) => {
    const { id } = await previewTarget(args);
    const runtime = await openRuntime(io.env);
    const all = await runtime.listContainers({ [PREVIEW_LABEL]: id });
    const containers = all.filter(
      (container) =>
        container.labels['devenv.helper'] === undefined &&
        (args.service === undefined || container.labels[DevenvLabel.name] === args.service),
    );
    if (containers.length === 0) {
      const names = [...new Set(all.map((container) => container.labels[DevenvLabel.name] ?? ''))].filter(
        Boolean,
      );
      throw new UsageError(
        'NOTHING_TO_SHOW',
        args.service === undefined
          ? `Preview ${id} has no containers on this host.`
          : `Preview ${id} has no container for ${args.service}.`,
        {
          hint: names.length > 0 ? `It has: ${names.join(', ')}.` : '`devenv preview ls` lists the previews.',
        },
      );
    }
    const width = Math.max(
      ...containers.map((container) => (container.labels[DevenvLabel.name] ?? '').length),
    );
    const print = (name: string, line: LogLine): void => io.stdout(`${name.padEnd(width)} | ${line.text}\n`);
    const options = { follow: args.follow, signal, ...(args.tail === undefined ? {} : { tail: args.tail }) };
    if (!args.follow) {
      const lines: { name: string; line: LogLine }[] = [];
      for (const container of containers) {
        const name = container.labels[DevenvLabel.name] ?? container.name;
        for await (const line of runtime.logs(container.id, options)) lines.push({ name, line });
      }
      lines.sort((a, b) => a.line.timestamp.getTime() - b.line.timestamp.getTime());
      for (const { name, line } of lines) print(name, line);
      return 0;
    }
    await Promise.all(
      containers.map(async (container) => {
        const name = container.labels[DevenvLabel.name] ?? container.name;
        for await (const line of runtime.logs(container.id, options)) print(name, line);
      }),
    );
    return signal.aborted ? 130 : 0;
  },
});
