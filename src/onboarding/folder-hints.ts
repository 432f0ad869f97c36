import { posix } from 'node:path';
import { hintForVariable, presetsFromPackages, type VariableHint } from './detect-dependencies.js';
import { envFileVars } from './env-file-vars.js';
import type { RepoFacts } from './repo-facts.js';

/** A variable that names a preset, and the .env file it is in. */
export type FileHint = VariableHint & { file: string };

/**
 * The hints of the .env files that apply to one folder: its own and the root's, the first file naming a
 * variable winning. A generic `DATABASE_URL` without a scheme is decided by the folder's own database
 * library, else by any package's (`packagePresets`).
 */
export function folderHints(
  facts: RepoFacts,
  dir: string,
  packagePresets: ReadonlyMap<string, string>,
): FileHint[] {
  const own = facts.packages.find((pkg) => pkg.dir === dir);
  const ownPresets = presetsFromPackages(own?.dependencies ?? []);
  const hints: FileHint[] = [];
  for (const file of facts.envFiles) {
    const folder = posix.dirname(file.path);
    if (folder !== dir && folder !== '.') continue;
    for (const [variable, value] of envFileVars(file)) {
      const hint = hintForVariable(variable, value, ownPresets.size > 0 ? ownPresets : packagePresets);
      if (hint && !hints.some((h) => h.variable === variable)) hints.push({ ...hint, file: file.path });
    }
  }
  return hints;
}
