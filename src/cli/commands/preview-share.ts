import { ExternalError, UsageError } from '../../errors/devenv-error.js';
import { newestRecords } from '../../gateway/gateway-previews.js';
import { shareLink } from '../../gateway/share-link.js';
import { PREVIEW_LABEL, PREVIEW_RECORD_LABEL } from '../../preview/preview-contract.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { previewTarget, ttlMs, withPreviewBranch } from './preview-options.js';

/**
 * `devenv preview share`: a command module the `preview` group registers as `share`. Reads the
 * preview's record from the engine (it holds the secret that signs links) and prints a link.
 */
export const previewShareCommand = defineCommand({
  command: 'share',
  describe: 'Print a signed, expiring link to a private preview (or, with --header, a token for CI)',
  builder: (yargs) =>
    withPreviewBranch(yargs)
      .option('service', {
        type: 'string',
        describe: "The service the link opens (default: the preview's first HTTP service)",
        requiresArg: true,
      })
      .option('ttl', { type: 'string', default: '24h', describe: 'How long the link works (30m, 12h, 7d)' })
      .option('header', {
        type: 'boolean',
        default: false,
        describe: 'Print an `X-Devenv-Preview-Token: …` header line instead of a link (CI, API clients)',
      }),
  run: async (args, { io }) => {
    const validMs = ttlMs(args.ttl, 0);
    const { branch, id } = await previewTarget(args);
    const runtime = await openRuntime(io.env);
    const record = newestRecords(
      await runtime.listVolumes({ [PREVIEW_RECORD_LABEL]: '1', [PREVIEW_LABEL]: id }),
    )[0];
    if (record === undefined)
      throw new ExternalError('PREVIEW_NOT_FOUND', `No preview of branch ${branch} (${id}) on this engine.`, {
        hint: `Create it with \`devenv preview up --branch ${branch}\`.`,
      });
    if (record.expires.getTime() <= Date.now())
      throw new ExternalError(
        'PREVIEW_EXPIRED',
        `The preview of ${branch} expired at ${record.expires.toISOString()}.`,
        {
          hint: `\`devenv preview extend --branch ${branch}\` keeps it longer, then share it.`,
        },
      );
    const target =
      args.service === undefined
        ? record.services[0]
        : record.services.find((candidate) => candidate.service === args.service);
    if (target === undefined)
      throw new UsageError(
        'UNKNOWN_SERVICE',
        args.service === undefined
          ? `The preview of ${branch} has no HTTP service.`
          : `The preview of ${branch} has no HTTP service ${args.service}.`,
        { hint: `Its services: ${record.services.map((s) => s.service).join(', ') || 'none'}.` },
      );
    const link = shareLink(record, target.host, new Date(Date.now() + validMs));
    io.stdout(args.header ? `X-Devenv-Preview-Token: ${link.token}\n` : `${link.url}\n`);
    if (io.isTTY) io.stderr(`Valid until ${link.expires.toISOString()}.\n`);
    return 0;
  },
});
