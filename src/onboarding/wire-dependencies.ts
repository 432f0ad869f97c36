import { posix } from 'node:path';
import {
  defaultDependencyName,
  hintForVariable,
  presetsFromPackages,
  type VariableHint,
} from './detect-dependencies.js';
import type { DevenvDraft } from './devenv-draft.js';
import { envFileVars } from './env-file-vars.js';
import { info, type OnboardingNote } from './onboarding-note.js';
import type { RepoFacts } from './repo-facts.js';
import { uniqueName } from './unique-name.js';

/** A service init added, and the folder it runs from (`.` for the root). */
export interface FolderService {
  name: string;
  dir: string;
}

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

  const allDependencies = facts.packages.flatMap((pkg) => pkg.dependencies);
  const packagePresets = presetsFromPackages(allDependencies);
  const noted = new Set<string>();
  for (const service of services) {
    const hints: (VariableHint & { file: string })[] = [];
    const own = facts.packages.find((pkg) => pkg.dir === service.dir);
    const ownPresets = presetsFromPackages(own?.dependencies ?? []);
    const files = facts.envFiles.filter(
      (f) => posix.dirname(f.path) === service.dir || posix.dirname(f.path) === '.',
    );
    for (const file of files) {
      for (const [variable, value] of envFileVars(file)) {
        const hint = hintForVariable(variable, value, ownPresets.size > 0 ? ownPresets : packagePresets);
        if (hint && !hints.some((h) => h.variable === variable)) {
          hints.push({ ...hint, file: file.path });
          if (!found.includes(file.path)) found.push(file.path);
          const where = `${file.path}: ${variable}`;
          if (!noted.has(where))
            notes.push(info(where, `wired to the ${hint.preset} preset's \`${hint.output}\``));
          noted.add(where);
        }
      }
    }
    if (hints.length === 0) continue;
    const spec = draft.services[service.name];
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
