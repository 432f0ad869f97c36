/** Shell syntax that starts more than one process, feeds stdin, or could: with it, `node` is not alone. */
const SHELL_OPERATORS = new Set([';', '&', '|', '<', '>', '(', ')', '\n', '`']);

/**
 * Node options read while Node starts, before any preload runs: a spare started at the previous
 * restart would keep their old effect (`--env-file`), or clash with the process it replaces
 * (`--inspect` binds its port), or restart on its own (`--watch`).
 */
const STARTUP_OPTIONS = /^--(?:env-file|inspect|watch)/;

/**
 * Whether `command` runs Node itself as its one process, so a warm start (a spare Node paused before
 * the user's code) can stand in for it: argv `['node', …]`, or `['sh', '-c', s]` where `s` is one
 * simple command whose first word is `node`. `npm run dev` and friends do not qualify: npm is a Node
 * process itself and would be the one paused, its child Node started cold. Neither does `node a.js &&
 * node b.js`: the second Node would inherit the spare's NODE_OPTIONS from the shell and wait forever.
 */
export function runsNodeDirectly(command: readonly string[], nodeOptions: string | undefined): boolean {
  if (nodeOptions?.split(/\s+/).some((word) => STARTUP_OPTIONS.test(word))) return false;
  const [file, flag, script] = command;
  if (file === 'sh' && flag === '-c' && command.length === 3 && script !== undefined)
    return isOneNodeCommand(script);
  return file === 'node' && !command.slice(1).some((arg) => STARTUP_OPTIONS.test(arg));
}

/** `node …` with no shell operator outside quotes and no command substitution anywhere. */
function isOneNodeCommand(script: string): boolean {
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node' || words.some((word) => STARTUP_OPTIONS.test(word.replace(/^["']/, ''))))
    return false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < script.length; i++) {
    const char = script[i] ?? '';
    if (quote === "'") {
      if (char === "'") quote = undefined;
    } else if (char === '\\') {
      i++; // the escaped character is literal, in or out of double quotes
    } else if (char === '`' || (char === '$' && script[i + 1] === '(')) {
      return false; // command substitution runs a command, in or out of double quotes
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (SHELL_OPERATORS.has(char)) {
      return false;
    }
  }
  return quote === undefined;
}
