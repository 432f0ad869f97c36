import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shortHash } from '../../naming/short-hash.js';
import { deployPreview } from '../../preview/deploy-preview.js';
import { currentGitCommit } from '../../preview/read-git.js';
import { devenvStateRoot } from '../../supervisor/supervisor-paths.js';
import { systemClock } from '../../util/clock.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { createPlainEventView } from '../plain-event-view.js';
import {
  loadPreviewModel,
  previewBranch,
  progressLine,
  shortTime,
  ttlMs,
  withDomain,
  withPreviewBranch,
} from './preview-options.js';

/** bin/devenv.js, to run the same command again in the background for `--detach`. */
const launcher = fileURLToPath(new URL('../../../bin/devenv.js', import.meta.url));

export const previewUpCommand = defineCommand({
  command: 'up',
  describe: "Create or update this branch's preview on the preview host (the Docker engine devenv talks to)",
  builder: (yargs) =>
    withDomain(withPreviewBranch(yargs))
      .option('ttl', {
        type: 'string',
        requiresArg: true,
        describe: 'Remove the preview this long after now: 30m, 12h, 7d (default: preview.ttl, 72h)',
      })
      .option('detach', {
        type: 'boolean',
        default: false,
        describe: 'Print the URLs and deploy in the background (log in the state folder)',
      }),
  run: async (args, { io, signal }) => {
    const branch = await previewBranch(args);
    // Everything is decided before the engine is contacted: a bad file or runtime fails here.
    const { environment, model } = await loadPreviewModel({ ...args, branch }, io, { readSecrets: true });
    const settings = environment.preview;
    const ttl = ttlMs(args.ttl, settings?.ttlMs ?? 72 * 3_600_000);

    if (args.detach) {
      const dir = join(devenvStateRoot(io.env), 'previews');
      await mkdir(dir, { recursive: true });
      const logFile = join(dir, `${environment.project}-${shortHash(model.id, 12)}.log`);
      const log = await open(logFile, 'a');
      const forwarded = [
        'preview',
        'up',
        '--branch',
        branch,
        '--cwd',
        args.cwd,
        ...(args.file ? ['--file', args.file] : []),
        ...(args.ttl ? ['--ttl', args.ttl] : []),
        '--domain',
        model.domain,
      ];
      const child = spawn(process.execPath, [launcher, ...forwarded], {
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
        env: { ...io.env, NO_COLOR: '1' },
      });
      child.unref();
      await log.close();
      io.stderr(`Deploying preview ${model.id} in the background (log: ${logFile}).\n`);
      for (const url of model.urls) io.stdout(`${url.service}  ${url.url}\n`);
      return 0;
    }

    const runtime = await openRuntime(io.env);
    await runtime.ping();
    const view = createPlainEventView(io.stderr, { logs: false });
    const record = await deployPreview({
      runtime,
      clock: systemClock,
      model,
      commit: await currentGitCommit(args.cwd),
      ttlMs: ttl,
      access: settings?.access === 'public' ? 'public' : 'private',
      basicAuth: settings?.access === 'basic' ? settings.basicAuth : undefined,
      publicPaths: settings?.publicPaths ?? [],
      idleSleepMinutes: Math.ceil((settings?.idleSleepMs ?? 0) / 60_000),
      emit: view,
      progress: progressLine(io),
      signal,
    });
    const access = record.basicAuth === undefined ? record.access : `${record.access}, basic auth`;
    io.stderr(`Preview ${record.id} is ready (${access}, expires ${shortTime(record.expires)}).\n`);
    const width = Math.max(0, ...model.urls.map((url) => url.service.length));
    for (const url of model.urls) io.stdout(`${url.service.padEnd(width)}  ${url.url}\n`);
    return 0;
  },
});
