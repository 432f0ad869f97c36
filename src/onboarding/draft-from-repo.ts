import { posix } from 'node:path';
import type { PresetCatalog } from '../config/load-presets.js';
import { defaultProjectName } from '../config/validate-config-text.js';
import { type ConvertedCompose, convertCompose } from './convert-compose.js';
import { emptyDraft } from './devenv-draft.js';
import { dockerfileService, dockerfilesByFolder } from './dockerfile-service.js';
import { rootLayerVars } from './env-file-vars.js';
import { mergeConverted } from './merge-converted.js';
import { info, type OnboardingNote } from './onboarding-note.js';
import type { OnboardingResult } from './onboarding-result.js';
import type { PackageFacts, RepoFacts } from './repo-facts.js';
import { devScript, scriptService } from './script-service.js';
import { uniqueName } from './unique-name.js';
import { type FolderService, wireDependencies } from './wire-dependencies.js';

/** Scripts of a monorepo's root that start every workspace: the workspaces become services instead. */
const ORCHESTRATORS =
  /\b(turbo|nx|lerna|concurrently|npm-run-all|run-p)\b|--workspaces?\b|\s-r\s|--recursive|--filter/;

/**
 * `devenv init`: what a repository shows about itself → a first devenv.yaml. An existing Compose file is
 * converted as by `import compose`; package.json `dev`/`start` scripts become local processes (hot reload
 * without a container); Dockerfiles without such a script become `build:` services; variables such as
 * `DATABASE_URL` and client libraries such as `pg` add presets, wired as `${db.url}`.
 */
export function draftFromRepo(facts: RepoFacts, presets: PresetCatalog): OnboardingResult {
  const notes: OnboardingNote[] = [];
  const summary: string[] = [];
  const found: string[] = [];
  let converted: ConvertedCompose | undefined;
  if (facts.compose) {
    converted = convertCompose(facts.compose.file, {
      presets,
      vars: rootLayerVars(facts.envFiles),
      envFiles: facts.compose.envFiles,
    });
    notes.push(...converted.notes);
    summary.push(...converted.summary);
    found.push(facts.compose.file.file);
  }
  const draft = emptyDraft(converted?.name ?? defaultProjectName(facts.folderName));
  if (converted) mergeConverted(draft, converted);
  const taken = new Set([...Object.keys(draft.dependencies), ...Object.keys(draft.services)]);
  const covered = new Set(converted?.buildContexts ?? []);

  // package.json scripts → local processes.
  const withScripts = facts.packages.filter((pkg) => devScript(pkg) !== undefined);
  const workspaces = withScripts.filter((pkg) => pkg.dir !== '.');
  const processes: { name: string; pkg: PackageFacts }[] = [];
  /** The services added here, local processes and builds alike, for the wiring of .env hints. */
  const added: FolderService[] = [];
  for (const pkg of withScripts) {
    const script = devScript(pkg);
    if (!script) continue;
    const where = `${posix.join(pkg.dir, 'package.json')}: scripts.${script.name}`;
    if (covered.has(pkg.dir)) {
      notes.push(info(where, `not added: ${facts.compose?.file.file} builds this folder already`));
      continue;
    }
    if (pkg.dir === '.' && workspaces.length > 0 && ORCHESTRATORS.test(script.command)) {
      notes.push(info(where, 'not added: it starts the workspaces, which are services of their own'));
      continue;
    }
    const name = uniqueName(
      pkg.dir === '.' ? (pkg.name?.replace(/^@[^/]+\//, '') ?? 'app') : posix.basename(pkg.dir),
      taken,
      'app',
    );
    const service = scriptService(facts, pkg, script);
    draft.services[name] = service.spec;
    draft.comments[name] = service.comment;
    processes.push({ name, pkg });
    added.push({ name, dir: pkg.dir });
    summary.push(
      `${name}: \`${String(service.spec.run)}\`${pkg.dir === '.' ? '' : ` in ${pkg.dir}`}${service.spec.port === undefined ? '' : `, port ${service.spec.port}`}`,
    );
    found.push(`${posix.join(pkg.dir, 'package.json')} (${script.name})`);
  }
  for (const pattern of facts.unexpandedWorkspaces)
    notes.push(
      info(
        `package.json: workspaces`,
        `\`${pattern}\` was not searched (only \`dir\` and \`dir/*\` are): add its services by hand`,
      ),
    );

  // Dockerfiles of folders no script or Compose service covers → build services.
  for (const [dir, dockerfile] of dockerfilesByFolder(facts.dockerfiles)) {
    if (covered.has(dir)) continue;
    if (processes.some((p) => p.pkg.dir === dir)) {
      notes.push(
        info(
          dockerfile.path,
          'not used: this folder runs as a local process (`run:`), which reloads faster; switch to `build:` if you prefer the container',
        ),
      );
      continue;
    }
    const name = uniqueName(
      dir === '.' ? defaultProjectName(facts.folderName) : posix.basename(dir),
      taken,
      'app',
    );
    const service = dockerfileService(dir, dockerfile);
    draft.services[name] = service.spec;
    draft.comments[name] = service.comment;
    added.push({ name, dir });
    summary.push(
      `${name}: built from ${dockerfile.path}${service.spec.port === undefined ? '' : `, port ${service.spec.port}`}`,
    );
    found.push(dockerfile.path);
  }

  // Variables and libraries → presets, wired into the services added above.
  const wired = wireDependencies(facts, draft, added, taken, notes, summary);
  found.push(...wired);

  draft.header = [
    `Written by \`devenv init\` from ${found.length > 0 ? found.join(', ') : 'the folder name alone'}.`,
    'Check the commands, ports and dependencies below, then run `devenv validate` and `devenv up`.',
    'The format: `devenv schema`, or docs/devenv-yaml.md in the devenv package.',
  ];
  if (Object.keys(draft.services).length === 0 && Object.keys(draft.dependencies).length === 0)
    notes.push(
      info(
        'devenv init',
        'found no scripts, Dockerfiles, Compose file or .env hints: the file names the project only; add services by hand',
      ),
    );
  return { draft, notes, summary };
}
