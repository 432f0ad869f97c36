import { durationMs } from '../../config/duration.js';
import { ExternalError } from '../../errors/devenv-error.js';
import { readPreviewRecords, writePreviewRecord } from '../../preview/preview-records.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { previewTarget, shortTime, ttlMs, withPreviewBranch } from './preview-options.js';

export const previewExtendCommand = defineCommand({
  command: 'extend',
  describe: "Push back this branch's preview's expiry (to now + --ttl, default preview.ttl)",
  builder: (yargs) =>
    withPreviewBranch(yargs).option('ttl', {
      type: 'string',
      requiresArg: true,
      describe: 'New lifetime from now: 30m, 12h, 7d (default: preview.ttl, 72h)',
    }),
  run: async (args, { io }) => {
    const { id, loaded } = await previewTarget(args);
    const ttl = ttlMs(args.ttl, durationMs(loaded.config.preview?.ttl ?? '72h'));
    const runtime = await openRuntime(io.env);
    const current = (await readPreviewRecords(runtime)).get(id)?.record;
    if (current === undefined) {
      throw new ExternalError('PREVIEW_NOT_FOUND', `No preview ${id} on this host.`, {
        hint: '`devenv preview ls` lists the previews; `devenv preview up` creates this one.',
      });
    }
    const now = new Date();
    const record = { ...current, updated: now, expires: new Date(now.getTime() + ttl) };
    await writePreviewRecord(runtime, record);
    io.stdout(`Preview ${id} now expires ${shortTime(record.expires)}.\n`);
    return 0;
  },
});
