import { basename, dirname } from 'node:path';
import { loadPresets } from '../../config/load-presets.js';
import { UsageError } from '../../errors/devenv-error.js';
import { draftFromCompose } from '../../onboarding/draft-from-compose.js';
import { COMPOSE_FILE_NAMES } from '../../onboarding/parse-compose-file.js';
import { readComposeFile } from '../../onboarding/read-compose-file.js';
import { readDotenvVars } from '../../onboarding/read-dotenv-vars.js';
import { defineCommand } from '../command.js';
import { generateOptions, targetOf, writeGenerated } from '../write-generated.js';

export const importComposeCommand = defineCommand({
  // Not `[file]`: that is the global `-f/--file`, the devenv.yaml to write.
  command: 'compose [compose-file]',
  describe: 'Convert a Compose file into devenv.yaml',
  builder: (yargs) =>
    yargs
      .positional('compose-file', {
        type: 'string',
        describe: `The Compose file (default: the first of ${COMPOSE_FILE_NAMES.join(', ')})`,
      })
      .options(generateOptions)
      .epilogue(
        'Images devenv has a preset for (postgres, mysql/mariadb, redis, mongo, rabbitmq, kafka, minio, mailpit, ' +
          'otel) become `preset:` dependencies, other images plain dependencies, `build:` services devenv services. ' +
          'Ports, environment, env_file, named volumes, command, depends_on and healthcheck carry over; every other ' +
          'setting is printed as a warning naming the service and key, with what to do.',
      ),
  run: async (args, { io }) => {
    const target = targetOf(args, 'import compose');
    const projectDir = dirname(target.path);
    const compose = readComposeFile(projectDir, args.cwd, args['compose-file']);
    if (!compose) {
      throw new UsageError('COMPOSE_NOT_FOUND', `no Compose file in ${projectDir}`, {
        hint: `looked for ${COMPOSE_FILE_NAMES.join(', ')}; name one: \`devenv import compose path/to/file.yaml\``,
      });
    }
    const result = draftFromCompose(compose.file, {
      presets: loadPresets(undefined, args.cwd),
      vars: readDotenvVars(projectDir, compose.file.dir),
      envFiles: compose.envFiles,
      folderName: basename(projectDir),
    });
    return writeGenerated(result, args, target, io);
  },
});
