import type { CliCommand } from './command.js';
import { doctorCommand } from './commands/doctor.js';
import { downCommand } from './commands/down.js';
import { envCommand } from './commands/env.js';
import { execCommand } from './commands/exec.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { logsCommand } from './commands/logs.js';
import { presetsCommand } from './commands/presets.js';
import { previewCommand } from './commands/preview.js';
import { restartCommand } from './commands/restart.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { snapshotCommand } from './commands/snapshot.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { urlsCommand } from './commands/urls.js';
import { validateCommand } from './commands/validate.js';

/** Every command devenv offers, in the order `--help` lists them. One file per command in ./commands. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own Args; the registry only needs the common shape.
export const commands: readonly CliCommand<any>[] = [
  upCommand,
  downCommand,
  statusCommand,
  logsCommand,
  restartCommand,
  execCommand,
  envCommand,
  urlsCommand,
  previewCommand,
  snapshotCommand,
  doctorCommand,
  initCommand,
  importCommand,
  validateCommand,
  schemaCommand,
  serveCommand,
  presetsCommand,
];
