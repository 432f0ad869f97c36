import type { CliCommand } from './command.js';
import { doctorCommand } from './commands/doctor.js';

/** Every command devenv offers, in the order `--help` lists them. One file per command in ./commands. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own Args; the registry only needs the common shape.
export const commands: readonly CliCommand<any>[] = [doctorCommand];
