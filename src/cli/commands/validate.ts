import { loadEnvironment } from '../../config/load-environment.js';
import type { ResolvedEnvironment } from '../../model/resolved-environment.js';
import { defineCommand } from '../command.js';

export const validateCommand = defineCommand({
  command: 'validate',
  describe: 'Check devenv.yaml: every problem at once, as file:line:col (exit 2 when invalid)',
  builder: (yargs) =>
    yargs
      .option('branch', { type: 'string', describe: 'Check as the environment of this branch would resolve' })
      .option('preview', {
        type: 'boolean',
        default: false,
        describe: 'Check with preview settings applied',
      }),
  run: async (args, { io }) => {
    // Resolving (not just parsing) is what finds unset variables, bad .env lines and unreadable secrets.
    const { loaded, environment } = loadEnvironment({
      cwd: args.cwd,
      file: args.file,
      environment: io.env,
      branch: args.branch,
      preview: args.preview,
    });
    io.stdout(`${summary(loaded.file, environment)}\n`);
    return 0;
  },
});

/** One line: enough to see that the file says what its author meant. */
export function summary(file: string, environment: ResolvedEnvironment): string {
  const count = (items: readonly { name: string }[], one: string, many: string) =>
    `${items.length} ${items.length === 1 ? one : many}${items.length > 0 ? ` (${items.map((i) => i.name).join(', ')})` : ''}`;
  const where = environment.env === 'default' ? '' : `, environment ${environment.env}`;
  return `✔ ${file} is valid: project ${environment.project}${where}, ${count(environment.services, 'service', 'services')}, ${count(environment.dependencies, 'dependency', 'dependencies')}`;
}
