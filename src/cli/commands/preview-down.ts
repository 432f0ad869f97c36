import { previewEnvironmentName } from '../../preview/preview-contract.js';
import { takeDownPreview } from '../../preview/take-down-preview.js';
import { systemClock } from '../../util/clock.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { previewTarget, progressLine, withPreviewBranch } from './preview-options.js';

export const previewDownCommand = defineCommand({
  command: 'down',
  describe: "Remove this branch's preview: containers, network, volumes (its data) and images",
  builder: (yargs) => withPreviewBranch(yargs),
  run: async (args, { io, signal }) => {
    const { id, loaded, branch } = await previewTarget(args);
    const runtime = await openRuntime(io.env);
    const removed = await takeDownPreview({
      runtime,
      clock: systemClock,
      project: loaded.project,
      env: previewEnvironmentName(branch),
      previewId: id,
      progress: progressLine(io),
      signal,
    });
    const total = removed.containers + removed.networks + removed.volumes + removed.images;
    io.stdout(
      total === 0
        ? `No preview ${id} on this host; nothing removed.\n`
        : `Removed preview ${id}: ${plural(removed.containers, 'container')}, ${plural(removed.networks, 'network')}, ${plural(removed.volumes, 'volume')}, ${plural(removed.images, 'image')}.\n`,
    );
    return 0;
  },
});

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
