import type { ConfigProblem } from '../errors/config-error.js';
import { closestMatch } from '../util/closest-match.js';
import type { Edge } from './entity-graph.js';
import type { DevenvFile } from './schema/devenv-file-schema.js';

/** What to run; the first of these that is given wins. */
export interface Selection {
  /** Names from the command line (`devenv up api`). */
  names?: readonly string[] | undefined;
  /** Profiles from the command line (`devenv up --profile full`). */
  profiles?: readonly string[] | undefined;
}

/**
 * The names an environment runs: explicit names, else profiles, else (for previews) the preview's
 * services or profile, else the `default` profile, else everything; then everything those depend on.
 */
export function selectEntities(
  config: DevenvFile,
  graph: ReadonlyMap<string, readonly Edge[]>,
  selection: Selection,
  { preview, file }: { preview: boolean; file: string },
): { names: Set<string>; problems: ConfigProblem[] } {
  const all = [...Object.keys(config.dependencies), ...Object.keys(config.services)];
  const profiles = Object.keys(config.profiles);
  const problems: ConfigProblem[] = [];
  const unknown = (what: string, name: string, candidates: string[]) =>
    problems.push({
      file,
      line: 0,
      col: 0,
      message: `unknown ${what} \`${name}\``,
      hint: didYouMean(closestMatch(name, candidates)) ?? `known: ${candidates.join(', ') || 'none'}`,
    });

  let roots: string[];
  if (selection.names && selection.names.length > 0) {
    roots = [...selection.names];
    for (const name of roots) if (!all.includes(name)) unknown('dependency or service', name, all);
  } else if (selection.profiles && selection.profiles.length > 0) {
    roots = selection.profiles.flatMap((profile) => {
      if (!profiles.includes(profile)) unknown('profile', profile, profiles);
      return config.profiles[profile] ?? [];
    });
  } else if (preview && config.preview?.services) {
    roots = config.preview.services;
  } else if (preview && config.preview?.profile) {
    roots = config.profiles[config.preview.profile] ?? [];
  } else {
    roots = config.profiles.default ?? all;
  }

  const names = new Set<string>();
  const add = (name: string): void => {
    if (names.has(name) || !all.includes(name)) return;
    names.add(name);
    for (const edge of graph.get(name) ?? []) add(edge.name);
  };
  for (const name of roots) add(name);
  return { names, problems };
}

function didYouMean(suggestion: string | undefined): string | undefined {
  return suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`;
}
