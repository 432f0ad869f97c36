import { defineCommand } from '../command.js';
import { importComposeCommand } from './import-compose.js';

/** `devenv import <format>`: one file per format; Compose is the one there is. */
export const importCommand = defineCommand({
  command: 'import',
  describe: 'Write devenv.yaml from another tool’s definition: compose',
  builder: (yargs) => yargs,
  run: async () => 0,
  subcommands: [importComposeCommand],
});
