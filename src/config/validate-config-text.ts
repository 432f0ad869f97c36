import { basename, dirname } from 'node:path';
import type { ConfigProblem } from '../errors/config-error.js';
import { DNS_LABEL_MAX, slugify, truncateSlug } from '../naming/dns-label.js';
import type { PresetCatalog } from './load-presets.js';
import type { LoadedConfig } from './loaded-config.js';
import { parseWithSchema } from './parse-with-schema.js';
import { checkConfig } from './rules/check-config.js';
import { devenvFileSchema } from './schema/devenv-file-schema.js';

export type ValidatedConfig = { ok: true; loaded: LoadedConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * devenv.yaml text → a checked config, or every problem: syntax errors alone (nothing else can be read),
 * else schema problems plus — when those are only unknown keys — the cross-field rules' problems too.
 */
export function validateConfigText(
  text: string,
  { file, path, presets }: { file: string; path: string; presets: PresetCatalog },
): ValidatedConfig {
  const parsed = parseWithSchema(text, file, devenvFileSchema);
  if (!parsed.ok) {
    // Unknown keys alone still let the cross-field rules run, so every problem shows at once.
    const { recovered } = parsed;
    // …except where a key was left out: "`ready` needs one of …" after dropping `comand` is an echo.
    const echoes = new Set(
      (recovered?.strippedFrom ?? []).flatMap((path) =>
        [false, true].map((key) => {
          const at = recovered?.locate(path, { key });
          return `${at?.line}:${at?.col}`;
        }),
      ),
    );
    const more = recovered
      ? checkConfig(file, recovered.value, recovered.locate, presets).filter(
          (problem) => !echoes.has(`${problem.line}:${problem.col}`),
        )
      : [];
    const problems = [...parsed.problems, ...more].sort((a, b) => a.line - b.line || a.col - b.col);
    return { ok: false, problems };
  }
  const problems = checkConfig(file, parsed.value, parsed.locate, presets);
  if (problems.length > 0) return { ok: false, problems };
  const projectDir = dirname(path);
  return {
    ok: true,
    loaded: {
      file,
      path,
      projectDir,
      project: parsed.value.name ?? defaultProjectName(projectDir),
      config: parsed.value,
      locate: parsed.locate,
    },
  };
}

/** The folder name as a DNS label (`My_App` → `my-app`), or `app` when nothing usable is left. */
export function defaultProjectName(projectDir: string): string {
  return truncateSlug(slugify(basename(projectDir)), DNS_LABEL_MAX) || 'app';
}
