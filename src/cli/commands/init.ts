// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { dirname } from 'node:path';
import { loadPresets } from '../../config/load-presets.js';
import { draftFromRepo } from '../../onboarding/draft-from-repo.js';
import { readRepoFacts } from '../../onboarding/read-repo-facts.js';
import { defineCommand } from '../command.js';
import { generateOptions, targetOf, writeGenerated } from '../write-generated.js';

export const initCommand = defineCommand({
  command: 'init',
  describe:
    'Write a first devenv.yaml from what the repository shows (package.json scripts, Dockerfiles, a Compose file, .env files)',
  builder: (yargs) =>
    yargs
      .options(generateOptions)
      .epilogue(
        'Looks at package.json `dev`/`start` scripts (and workspaces), Dockerfiles, compose.yaml (converted as by ' +
          '`devenv import compose`) and .env files (DATABASE_URL, REDIS_URL, … add presets wired as `${db.url}`). ' +
          'Prints what it could not carry over. Refuses to replace an existing devenv.yaml without --force.',
      ),
  run: async (args, { io }) => {
    const target = targetOf(args, 'init');
    const projectDir = dirname(target.path);
    const facts = readRepoFacts(projectDir, args.cwd);
    const result = draftFromRepo(facts, loadPresets(undefined, args.cwd));
    return writeGenerated(result, args, target, io);
  },
});
