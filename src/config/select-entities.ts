import type { ConfigProblem } from '../errors/config-error.js';
import { closestMatch } from '../util/closest-match.js';
import type { Edge } from './entity-graph.js';
import type { DevenvFile } from './schema/devenv-file-schema.js';

/** What one command asked to run (`devenv up api`, `devenv up --profile full`, or plain `devenv up`). */
export interface SelectionRequest {
  /** Names from the command line (`devenv up api`). */
  names?: readonly string[] | undefined;
  /** Profiles from the command line (`devenv up --profile full`). */
  profiles?: readonly string[] | undefined;
  /** What runs when nothing is named: the `default` profile (a preview's own selection), else everything. */
  defaults?: boolean | undefined;
}

/**
 * What to run: the union of what is asked now and what was asked before (`keep`). Names and profiles
 * asked now must exist; kept ones that devenv.yaml no longer has are skipped, since taking an entity
 * out of the file is how a user removes it. Nothing asked at all means `defaults`.
 */
export interface Selection extends SelectionRequest {
  keep?: SelectionRequest | undefined;
}

/** The union of two requests: a second `devenv up worker` adds to what runs, it never takes away. */
export function mergeSelections(a: SelectionRequest | undefined, b: SelectionRequest): SelectionRequest {
  const union = (x: readonly string[] = [], y: readonly string[] = []) => [...new Set([...x, ...y])];
  return {
    names: union(a?.names, b.names),
    profiles: union(a?.profiles, b.profiles),
    defaults: a?.defaults === true || b.defaults === true,
  };
}

/**
 * The names an environment runs: explicit names, profiles and (when asked, or when nothing is) the
 * defaults — the preview's services or profile for a preview, else the `default` profile, else
 * everything; then everything those depend on.
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
  const rootsOf = (request: SelectionRequest, strict: boolean): string[] => [
    ...(request.names ?? []).filter((name) => {
      if (!all.includes(name) && strict) unknown('dependency or service', name, all);
      return all.includes(name);
    }),
    ...(request.profiles ?? []).flatMap((profile) => {
      if (!profiles.includes(profile) && strict) unknown('profile', profile, profiles);
      return config.profiles[profile] ?? [];
    }),
    ...(request.defaults ? defaultRoots(config, preview, all) : []),
  ];

  const asked = [...rootsOf(selection, true), ...rootsOf(selection.keep ?? {}, false)];
  const nothingAsked = !isRequest(selection) && !isRequest(selection.keep ?? {});
  const roots = nothingAsked ? defaultRoots(config, preview, all) : asked;

  const names = new Set<string>();
  const add = (name: string): void => {
    if (names.has(name) || !all.includes(name)) return;
    names.add(name);
    for (const edge of graph.get(name) ?? []) add(edge.name);
  };
  for (const name of roots) add(name);
  return { names, problems };
}

/** Whether a request asks for anything at all. */
function isRequest(request: SelectionRequest): boolean {
  return (request.names?.length ?? 0) > 0 || (request.profiles?.length ?? 0) > 0 || request.defaults === true;
}

function defaultRoots(config: DevenvFile, preview: boolean, all: string[]): string[] {
  if (preview && config.preview?.services) return config.preview.services;
  if (preview && config.preview?.profile) return config.profiles[config.preview.profile] ?? [];
  return config.profiles.default ?? all;
}

function didYouMean(suggestion: string | undefined): string | undefined {
  return suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`;
}
