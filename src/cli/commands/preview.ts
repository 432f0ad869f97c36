import { defineCommand } from '../command.js';
import { previewDownCommand } from './preview-down.js';
import { previewExtendCommand } from './preview-extend.js';
import { previewGcCommand } from './preview-gc.js';
import { previewLogsCommand } from './preview-logs.js';
import { previewLsCommand } from './preview-ls.js';
import { previewShareCommand } from './preview-share.js';
import { previewUpCommand } from './preview-up.js';
import { previewUrlCommand } from './preview-url.js';

/** `devenv preview <command>`: one file per subcommand; adding one is one line here. */
export const previewCommand = defineCommand({
  command: 'preview',
  describe: 'Branch previews on a preview host: up, url, ls, share, logs, extend, down, gc',
  builder: (yargs) => yargs,
  run: async () => 0,
  subcommands: [
    previewUpCommand,
    previewUrlCommand,
    previewLsCommand,
    previewShareCommand,
    previewLogsCommand,
    previewExtendCommand,
    previewDownCommand,
    previewGcCommand,
  ],
});
