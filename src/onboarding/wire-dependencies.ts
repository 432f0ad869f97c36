import { posix } from 'node:path';
import { defaultDependencyName, presetsFromPackages } from './detect-dependencies.js';
import type { DevenvDraft } from './devenv-draft.js';
import { folderHints } from './folder-hints.js';
import { info, type OnboardingNote } from './onboarding-note.js';
import type { RepoFacts } from './repo-facts.js';
import { uniqueName } from './unique-name.js';

/** A service init added, and the folder it runs from (`.` for the root). */
export interface FolderService {
  name: string;
  dir: string;
}

/** Presets that are an app's database: a folder has one, so a library does not add a second. */
const DATABASES = new Set(['postgres', 'mariadb', 'mongodb']);

/**
 * Variables (`DATABASE_URL` in a .env file) and client libraries (`pg` in package.json) → presets, wired
 * as `${db.url}` into the services init added (local processes and Dockerfile builds): a folder's .env
 * files into the service of that folder, the root's into every one. A preset the draft has already (from
 * Compose) is reused. Returns the env files that named one, for the header.
 */
export function wireDependencies(
  facts: RepoFacts,
  draft: DevenvDraft,
  services: readonly FolderService[],
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
      name = uniqueName(defaultDependencyName(preset), taken, 'app');
      draft.dependencies[name] = { preset };
      dependencyFor.set(preset, name);
    }
    reasons.set(name, [...(reasons.get(name) ?? []), reason]);
    return name;
  };

  const packagePresets = presetsFromPackages(facts.packages.flatMap((pkg) => pkg.dependencies));
  const noted = new Set<string>();
  for (const service of services) {
    const hints = folderHints(facts, service.dir, packagePresets);
    for (const hint of hints) {
      if (!found.includes(hint.file)) found.push(hint.file);
      const where = `${hint.file}: ${hint.variable}`;
      if (!noted.has(where))
        notes.push(info(where, `wired to the ${hint.preset} preset's \`${hint.output}\``));
      noted.add(where);
    }
    const spec = draft.services[service.name];
    if (hints.length === 0 || !spec) continue;
    const env: Record<string, string> = { ...(spec.env as Record<string, string> | undefined) };
    for (const hint of hints) {
      const name = ensure(hint.preset, `${hint.variable} in ${hint.file}`);
      env[hint.variable] = `\${${name}.${hint.output}}`;
    }
    spec.env = env;
  }

  // Libraries without a variable: their preset, unless the folder's .env chose another database.
  for (const pkg of facts.packages) {
    const file = posix.join(pkg.dir, 'package.json');
    const database = folderHints(facts, pkg.dir, packagePresets).find(
      (hint) => hint.output === 'url' && DATABASES.has(hint.preset),
    );
    for (const [preset, library] of presetsFromPackages(pkg.dependencies)) {
      if (dependencyFor.has(preset)) continue;
      if (database && DATABASES.has(preset)) {
        notes.push(
          info(
            `${file}: ${library}`,
            `not added: ${database.variable} in ${database.file} chose the ${database.preset} preset as this folder's database; add ${preset} by hand if the app uses both`,
          ),
        );
        continue;
      }
      const name = ensure(preset, `the \`${library}\` package`);
      notes.push(
        info(
          `${file}: ${library}`,
          `added the ${preset} preset as \`${name}\`; pass \`\${${name}.url}\` to the variable your code reads`,
        ),
      );
    }
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
