import { devenvJsonSchema } from '../../config/schema/devenv-json-schema.js';
import { defineCommand } from '../command.js';

export const schemaCommand = defineCommand({
  command: 'schema',
  describe: 'Print the JSON Schema of devenv.yaml (for editors and CI)',
  builder: (yargs) => yargs,
  run: async (_args, { io }) => {
    io.stdout(`${JSON.stringify(devenvJsonSchema(), null, 2)}\n`);
    return 0;
  },
});
