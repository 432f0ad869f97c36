import type { ConfigProblem } from '../../errors/config-error.js';
import { type EffectiveDependency, effectiveDependency } from '../effective-dependency.js';
import type { PresetCatalog } from '../load-presets.js';
import type { DevenvFile } from '../schema/devenv-file-schema.js';
import type { Locate } from '../source-position.js';

/** What every cross-field rule reads. Rules are pure: context in, problems out. */
export interface RuleContext {
  file: string;
  config: DevenvFile;
  locate: Locate;
  presets: PresetCatalog;
  /** Dependencies with their presets folded in (an unknown preset contributes nothing). */
  dependencies: ReadonlyMap<string, EffectiveDependency>;
}

export type Rule = (context: RuleContext) => ConfigProblem[];

export function ruleContext(
  file: string,
  config: DevenvFile,
  locate: Locate,
  presets: PresetCatalog,
): RuleContext {
  const dependencies = new Map(
    Object.entries(config.dependencies).map(([name, dependency]) => [
      name,
      effectiveDependency(dependency, presets),
    ]),
  );
  return { file, config, locate, presets, dependencies };
}

/** A problem at `path`; `key: true` points at the key (for names) rather than its value. */
export function problemAt(
  context: RuleContext,
  path: readonly PropertyKey[],
  message: string,
  options: { hint?: string | undefined; key?: boolean } = {},
): ConfigProblem {
  return {
    file: context.file,
    ...context.locate(path, { key: options.key ?? false }),
    message,
    ...(options.hint ? { hint: options.hint } : {}),
  };
}

/** Which top-level section a name lives in, for paths and messages. */
export function sectionOf(context: RuleContext, name: string): 'dependencies' | 'services' | undefined {
  if (Object.hasOwn(context.config.dependencies, name)) return 'dependencies';
  if (Object.hasOwn(context.config.services, name)) return 'services';
  return undefined;
}

export function allNames(context: RuleContext): string[] {
  return [...Object.keys(context.config.dependencies), ...Object.keys(context.config.services)];
}

export function didYouMean(suggestion: string | undefined): string | undefined {
  return suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`;
}

/** Service kind from which of run/build/image it sets (the kinds rule reports when not exactly one). */
export function serviceKind(service: {
  run?: unknown;
  build?: unknown;
  image?: unknown;
}): 'process' | 'build' | 'image' {
  if (service.run !== undefined) return 'process';
  if (service.build !== undefined) return 'build';
  return 'image';
}
