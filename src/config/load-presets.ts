import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigProblem } from '../errors/config-error.js';
import { parseWithSchema } from './parse-with-schema.js';
import { type Preset, presetSchema } from './schema/preset-schema.js';

/** Presets by name. */
export type PresetCatalog = ReadonlyMap<string, Preset>;

/** `presets/` at the package root: two levels up from both `src/config` and `dist/config`. */
export const PRESETS_DIR = fileURLToPath(new URL('../../presets/', import.meta.url));

/** Parses preset files with the preset schema; a file must be called after the preset it defines. */
export function parsePresets(files: readonly { file: string; text: string }[]): {
  catalog: PresetCatalog;
  problems: ConfigProblem[];
} {
  const catalog = new Map<string, Preset>();
  const problems: ConfigProblem[] = [];
  for (const { file, text } of files) {
    const parsed = parseWithSchema(text, file, presetSchema);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const expected = basename(file).replace(/\.ya?ml$/, '');
    if (parsed.value.name !== expected) {
      problems.push({
        file,
        ...parsed.locate(['name']),
        message: `preset \`${parsed.value.name}\` must live in ${expected === '' ? 'a file' : `${parsed.value.name}.yaml`}`,
      });
    }
    catalog.set(parsed.value.name, parsed.value);
  }
  return { catalog, problems };
}

/** Reads every `*.yaml` in the presets folder; a broken preset is a ConfigError naming its file and line. */
export function loadPresets(dir: string = PRESETS_DIR, cwd: string = process.cwd()): PresetCatalog {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const shown = relative(cwd, path);
      return { file: shown.startsWith('..') ? path : shown, text: readFileSync(path, 'utf8') };
    });
  const { catalog, problems } = parsePresets(files);
  if (problems.length > 0) throw new ConfigError(problems);
  return catalog;
}
