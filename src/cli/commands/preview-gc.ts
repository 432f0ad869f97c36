import { collectPreviewGarbage } from '../../preview/collect-preview-garbage.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { progressLine } from './preview-options.js';

export const previewGcCommand = defineCommand({
  command: 'gc',
  describe: 'Remove expired previews and orphaned preview resources (only what devenv created)',
  builder: (yargs) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .option('project', {
        type: 'string',
        requiresArg: true,
        describe: "Only this project's previews (default: every preview on the host)",
      }),
  run: async (args, { io, signal }) => {
    const runtime = await openRuntime(io.env);
    const report = await collectPreviewGarbage(runtime, {
      now: new Date(),
      project: args.project,
      progress: progressLine(io),
      signal,
    });
    if (args.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const { removed } = report;
    io.stdout(
      report.expired.length + report.orphaned.length + report.skipped.length === 0
        ? 'Nothing to collect.\n'
        : `${[
            ...report.expired.map((id) => `expired: ${id}`),
            ...report.orphaned.map((id) => `orphaned: ${id}`),
            ...report.skipped.map((id) => `skipped (in use): ${id}`),
            `Removed ${removed.containers} containers, ${removed.networks} networks, ${removed.volumes} volumes, ${removed.images} images.`,
          ].join('\n')}\n`,
    );
    return 0;
  },
});
