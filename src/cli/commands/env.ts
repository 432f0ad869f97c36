import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';

const REDACTED = '********';

export const envCommand = defineCommand({
  command: 'env',
  describe: "Print each dependency's connection settings (url, host, port, …) as seen from this machine",
  builder: (yargs) =>
    withBranch(yargs)
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print them as JSON, keyed by dependency',
      })
      .option('show-secrets', {
        type: 'boolean',
        default: false,
        describe: 'Print values that contain secret references instead of hiding them',
      }),
  run: async (args, { io }) => {
    const { environment } = await loadCliEnvironment(args, io, { readSecrets: args['show-secrets'] });
    const outputs: Record<string, Record<string, string>> = {};
    for (const dependency of environment.dependencies) {
      const secret = new Set(args['show-secrets'] ? [] : dependency.outputs.secretKeys);
      outputs[dependency.name] = Object.fromEntries(
        Object.entries(dependency.outputs.host).map(([key, value]) => [
          key,
          secret.has(key) ? REDACTED : value,
        ]),
      );
    }
    if (args.json) {
      io.stdout(`${JSON.stringify(outputs, null, 2)}\n`);
      return 0;
    }
    for (const [name, values] of Object.entries(outputs)) {
      io.stdout(`${name}\n`);
      const width = Math.max(0, ...Object.keys(values).map((key) => key.length));
      for (const [key, value] of Object.entries(values)) io.stdout(`  ${key.padEnd(width)}  ${value}\n`);
    }
    return 0;
  },
});
