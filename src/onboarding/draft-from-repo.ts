// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { posix } from 'node:path';
import { parseEnvFile } from '../config/env-file.js';
import type { PresetCatalog } from '../config/load-presets.js';
import { defaultProjectName } from '../config/validate-config-text.js';
import { isDnsLabel, slugify, truncateSlug } from '../naming/dns-label.js';
import { type ConvertedCompose, convertCompose } from './convert-compose.js';
import {
  defaultDependencyName,
  hintForVariable,
  presetsFromPackages,
  type VariableHint,
} from './detect-dependencies.js';
import { detectPort, reloadsItself } from './detect-port.js';
import { emptyDraft, type ServiceDraft } from './devenv-draft.js';
import { mergeConverted } from './draft-from-compose.js';
import { info, type OnboardingNote } from './onboarding-note.js';
import type { OnboardingResult } from './onboarding-result.js';
import { devStage, parseDockerfile } from './parse-dockerfile.js';
import type { PackageFacts, RepoFacts, TextFile } from './repo-facts.js';

const RESERVED = new Set(['secrets', 'self', 'env', 'ports', 'host', 'port']);
/** The .env layers devenv itself reads (development mode): they feed `${VAR}` in Compose values too. */
const LAYERS = new Set(['.env', '.env.local', '.env.development', '.env.development.local']);
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
      vars: rootVars(facts.envFiles),
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
  const withScripts = facts.packages.filter((pkg) => scriptOf(pkg) !== undefined);
  const workspaces = withScripts.filter((pkg) => pkg.dir !== '.');
  const processes: { name: string; pkg: PackageFacts }[] = [];
  for (const pkg of withScripts) {
    const script = scriptOf(pkg);
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
    );
    const service = processService(facts, pkg, script);
    draft.services[name] = service.spec;
    draft.comments[name] = service.comment;
    processes.push({ name, pkg });
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
  const byDir = new Map<string, TextFile>();
  for (const dockerfile of facts.dockerfiles) {
    const dir = posix.dirname(dockerfile.path);
    const current = byDir.get(dir);
    // One service per folder: a development Dockerfile (`Dockerfile.dev`) over the plain one.
    if (!current || /dev/i.test(posix.basename(dockerfile.path))) byDir.set(dir, dockerfile);
  }
  for (const [dir, dockerfile] of byDir) {
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
    const parsed = parseDockerfile(dockerfile.text);
    const base = posix.basename(dockerfile.path);
    const target = devStage(parsed.stages);
    const build: ServiceDraft['build'] =
      base === 'Dockerfile' && target === undefined
        ? dir
        : {
            context: dir,
            ...(base === 'Dockerfile' ? {} : { dockerfile: base }),
            ...(target ? { target } : {}),
          };
    const name = uniqueName(dir === '.' ? defaultProjectName(facts.folderName) : posix.basename(dir), taken);
    const spec: ServiceDraft = { build };
    if (parsed.port !== undefined) spec.port = parsed.port;
    spec.watch = [{ paths: dir, action: 'rebuild' }];
    draft.services[name] = spec;
    draft.comments[name] =
      `Built from ${dockerfile.path}${parsed.port === undefined ? ' (no EXPOSE: add `port:` if it serves HTTP)' : ` (port from its EXPOSE)`}. \`watch\` rebuilds it on every change: use \`sync\` rules if the app reloads itself.`;
    summary.push(
      `${name}: built from ${dockerfile.path}${parsed.port === undefined ? '' : `, port ${parsed.port}`}`,
    );
    found.push(dockerfile.path);
  }

  // Variables and libraries → presets, wired into the local processes.
  const wired = wireDependencies(facts, draft, processes, taken, notes, summary);
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

function scriptOf(pkg: PackageFacts): { name: string; command: string } | undefined {
  for (const name of ['dev', 'start']) {
    const command = pkg.scripts[name];
    if (typeof command === 'string' && command.trim() !== '') return { name, command };
  }
  return undefined;
}

function processService(
  facts: RepoFacts,
  pkg: PackageFacts,
  script: { name: string; command: string },
): { spec: ServiceDraft; comment: string } {
  // A plain `node …` script runs directly, so devenv can warm-start it (npm in between would prevent it).
  const direct =
    /^node\s+[^&|;<>$`()]+$/.test(script.command.trim()) &&
    !/--(watch|inspect|env-file)/.test(script.command);
  const run = direct ? script.command.trim() : runScript(facts.packageManager, script.name);
  const spec: ServiceDraft = { run };
  if (pkg.dir !== '.') spec.cwd = pkg.dir;
  const envPort = variableIn(facts.envFiles, pkg.dir, 'PORT');
  const port = detectPort(script.command, envPort, pkg.readsPortEnv);
  if (port) spec.port = port.port;
  const install = facts.packageManager === 'yarn' ? 'yarn install' : `${facts.packageManager} install`;
  spec.watch = [
    ...(reloadsItself(script.command) ? [] : [{ paths: pkg.dir }]),
    { paths: posix.join(pkg.dir, 'package.json'), action: 'run', command: install },
  ];
  const parts = [
    `The "${script.name}" script of ${posix.join(pkg.dir, 'package.json')}${direct ? ` (\`${script.command.trim()}\`, run directly so restarts are warm)` : ''}.`,
    port
      ? `Port: ${port.reason}.`
      : 'No port found: add `port:` (or `port: auto` if it reads PORT) if it serves HTTP.',
    reloadsItself(script.command)
      ? 'It reloads itself; `watch` reinstalls when package.json changes.'
      : '`watch` restarts it when its files change.',
  ];
  return { spec, comment: parts.join(' ') };
}

function runScript(manager: RepoFacts['packageManager'], script: string): string {
  if (manager === 'yarn') return `yarn ${script}`;
  if (manager === 'npm' && script === 'start') return 'npm start';
  return `${manager} run ${script}`;
}

/** A variable's value in a folder's .env files (real layers before examples); the root's for `.`. */
function variableIn(
  envFiles: readonly TextFile[],
  dir: string,
  name: string,
): { value: string; file: string } | undefined {
  for (const file of envFiles.filter((f) => posix.dirname(f.path) === dir)) {
    const value = parseEnvFile({ file: file.path, text: file.text }).vars.get(name);
    if (value !== undefined) return { value, file: file.path };
  }
  return undefined;
}

function rootVars(envFiles: readonly TextFile[]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const file of envFiles.filter((f) => LAYERS.has(f.path)))
    for (const [key, value] of parseEnvFile({ file: file.path, text: file.text }).vars) vars.set(key, value);
  return vars;
}

function wireDependencies(
  facts: RepoFacts,
  draft: ReturnType<typeof emptyDraft>,
  processes: readonly { name: string; pkg: PackageFacts }[],
  taken: Set<string>,
  notes: OnboardingNote[],
  summary: string[],
): string[] {
  const found: string[] = [];
  const dependencyFor = new Map<string, string>();
  for (const [name, dependency] of Object.entries(draft.dependencies))
    if (dependency.preset && !dependencyFor.has(dependency.preset))
      dependencyFor.set(dependency.preset, name);
  const reasons = new Map<string, string[]>();
  const ensure = (preset: string, reason: string): string => {
    let name = dependencyFor.get(preset);
    if (name === undefined) {
      name = uniqueName(defaultDependencyName(preset), taken);
      draft.dependencies[name] = { preset };
      dependencyFor.set(preset, name);
    }
    reasons.set(name, [...(reasons.get(name) ?? []), reason]);
    return name;
  };

  const allDependencies = facts.packages.flatMap((pkg) => pkg.dependencies);
  const packagePresets = presetsFromPackages(allDependencies);
  for (const process of processes) {
    const hints: (VariableHint & { file: string })[] = [];
    const ownPresets = presetsFromPackages(process.pkg.dependencies);
    const files = facts.envFiles.filter(
      (f) => posix.dirname(f.path) === process.pkg.dir || posix.dirname(f.path) === '.',
    );
    for (const file of files) {
      for (const [variable, value] of parseEnvFile({ file: file.path, text: file.text }).vars) {
        const hint = hintForVariable(variable, value, ownPresets.size > 0 ? ownPresets : packagePresets);
        if (hint && !hints.some((h) => h.variable === variable)) {
          hints.push({ ...hint, file: file.path });
          if (!found.includes(file.path)) found.push(file.path);
          notes.push(
            info(`${file.path}: ${variable}`, `wired to the ${hint.preset} preset's \`${hint.output}\``),
          );
        }
      }
    }
    if (hints.length === 0) continue;
    const spec = draft.services[process.name];
    if (!spec) continue;
    const env: Record<string, string> = { ...(spec.env as Record<string, string> | undefined) };
    for (const hint of hints) {
      const name = ensure(hint.preset, `${hint.variable} in ${hint.file}`);
      env[hint.variable] = `\${${name}.${hint.output}}`;
    }
    spec.env = env;
  }
  for (const [preset, library] of packagePresets) {
    if (dependencyFor.has(preset)) continue;
    const name = ensure(preset, `the \`${library}\` package`);
    notes.push(
      info(
        `package.json: ${library}`,
        `added the ${preset} preset as \`${name}\`; pass \`\${${name}.url}\` to the variable your code reads`,
      ),
    );
  }
  for (const [name, why] of reasons) {
    const dependency = draft.dependencies[name];
    if (!dependency?.preset || draft.comments[name] !== undefined) continue;
    draft.comments[name] =
      `The ${dependency.preset} preset, because of ${[...new Set(why)].join(', ')}. Its outputs: \`devenv presets ${dependency.preset}\`.`;
    summary.push(`${name}: preset ${dependency.preset}`);
  }
  return found;
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = truncateSlug(slugify(wanted), 50) || 'app';
  if (RESERVED.has(name)) name = `${name}-svc`;
  let candidate = name;
  for (let n = 2; taken.has(candidate) || !isDnsLabel(candidate); n += 1) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}
