import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEnvironment } from '../../config/load-environment.js';
import { ExternalError, UsageError } from '../../errors/devenv-error.js';
import { newestRecords } from '../../gateway/gateway-previews.js';
import { parseTtl, shareLink } from '../../gateway/share-link.js';
import { PREVIEW_LABEL, PREVIEW_RECORD_LABEL, previewId } from '../../preview/preview-contract.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';

/**
 * `devenv preview share`: a command module the `preview` group registers as `share`. Reads the
 * preview's record from the engine (it holds the secret that signs links) and prints a link.
 */
export const previewShareCommand = defineCommand({
  command: 'share',
  describe: 'Print a signed, expiring link to a private preview (or, with --header, a token for CI)',
  builder: (yargs) =>
    yargs
      .option('branch', {
        type: 'string',
        describe: 'The preview of this branch (default: the current git branch)',
        requiresArg: true,
      })
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
    const ttlMs = parseTtl(args.ttl);
    const { environment } = loadEnvironment({
      cwd: args.cwd,
      file: args.file,
      environment: io.env,
      preview: true,
    });
    const branch = args.branch ?? (await currentBranch(args.cwd));
    const id = previewId(environment.project, branch);
    const runtime = await openRuntime(io.env);
    const record = newestRecords(
      await runtime.listVolumes({ [PREVIEW_RECORD_LABEL]: '1', [PREVIEW_LABEL]: id }),
    )[0];
    if (record === undefined)
      throw new ExternalError('PREVIEW_NOT_FOUND', `No preview of branch ${branch} (${id}) on this engine.`, {
        hint: `Create it with \`devenv preview up --branch ${branch}\`.`,
      });
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
    const link = shareLink(record, target.host, new Date(Date.now() + ttlMs));
    io.stdout(args.header ? `X-Devenv-Preview-Token: ${link.token}\n` : `${link.url}\n`);
    if (io.isTTY) io.stderr(`Valid until ${link.expires.toISOString()}.\n`);
    return 0;
  },
});

/** The checked-out branch, for `--branch`'s default. */
async function currentBranch(cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd });
    const branch = stdout.trim();
    if (branch !== '' && branch !== 'HEAD') return branch;
  } catch (cause) {
    throw new UsageError('NO_BRANCH', 'Cannot tell the current git branch.', {
      hint: 'Name it with --branch.',
      cause,
    });
  }
  throw new UsageError('NO_BRANCH', 'No branch is checked out (detached HEAD).', {
    hint: 'Name it with --branch.',
  });
}
