/** How a service's port was found, for the comment beside it. */
export interface DetectedPort {
  port: number | 'auto';
  reason: string;
}

const FRAMEWORK_PORTS: readonly [RegExp, number, string][] = [
  [/\bnext\s+(dev|start)\b/, 3000, 'Next.js'],
  [/\b(nuxt|nuxi)\s+dev\b/, 3000, 'Nuxt'],
  [/\bastro\s+dev\b/, 4321, 'Astro'],
  [/\bng\s+serve\b/, 4200, 'Angular CLI'],
  [/\breact-scripts\s+start\b/, 3000, 'Create React App'],
  [/\bvite(?!\s+build)(\s|$)|\bsvelte-kit\s+dev\b/, 5173, 'Vite'],
];

/**
 * A service's port from, in order: `PORT` in its .env files, the script itself (`PORT=4000 node …`,
 * `--port 4000`, `-p 4000`), a dev server's known default, or `auto` when its code reads `PORT`.
 */
export function detectPort(
  script: string,
  envPort: { value: string; file: string } | undefined,
  readsPortEnv: boolean,
): DetectedPort | undefined {
  const fromEnv = envPort && Number(envPort.value);
  if (fromEnv && Number.isInteger(fromEnv) && fromEnv > 0 && fromEnv < 65536)
    return { port: fromEnv, reason: `PORT in ${envPort.file}` };
  const inScript =
    /\bPORT=(\d+)/.exec(script) ?? /--port[= ](\d+)/.exec(script) ?? /(?:^|\s)-p[= ]?(\d+)\b/.exec(script);
  if (inScript?.[1]) return { port: Number(inScript[1]), reason: 'from the script' };
  for (const [pattern, port, name] of FRAMEWORK_PORTS)
    if (pattern.test(script)) return { port, reason: `${name}'s default` };
  if (readsPortEnv) return { port: 'auto', reason: 'the code reads PORT: devenv picks a stable one' };
  return undefined;
}

/** Dev servers and watchers that reload on their own: no devenv `restart` rule needed. */
export function reloadsItself(script: string): boolean {
  return /\b(nodemon|tsx\s+watch|ts-node-dev|node-dev|vite|next\s+dev|nuxt|nuxi|astro\s+dev|react-scripts\s+start|ng\s+serve|webpack\s+serve|remix\s+dev|svelte-kit\s+dev)\b|--watch\b|--hot\b/.test(
    script,
  );
}
