/**
 * Set in a spare's environment only: the user's own NODE_OPTIONS as JSON (`null` when unset), which
 * the preload puts back before the user's code runs. Its presence is also how the preload knows it
 * runs in a spare and not in some process that copied the spare's NODE_OPTIONS.
 */
export const WARM_START_MARKER = 'DEVENV_WARM_START_NODE_OPTIONS';

/**
 * The environment of a spare: the service's own, with NODE_OPTIONS starting with `--require
 * <preload>` (first, so that none of the user's own preloads run before the go byte) and the marker.
 */
export function warmStartEnv(
  env: Readonly<Record<string, string>>,
  preloadPath: string,
): Record<string, string> {
  const own = env.NODE_OPTIONS;
  const require = `--require ${quoteNodeOption(preloadPath)}`;
  return {
    ...env,
    NODE_OPTIONS: own === undefined || own.trim() === '' ? require : `${require} ${own}`,
    [WARM_START_MARKER]: JSON.stringify(own ?? null),
  };
}

/**
 * NODE_OPTIONS splits on spaces; a value in double quotes may hold spaces, with `\` escaping the
 * next character (so `"` and `\` themselves) — always quoted, since paths may hold anything.
 */
export function quoteNodeOption(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}
