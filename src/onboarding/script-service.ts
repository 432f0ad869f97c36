import { posix } from 'node:path';
import { envFileNames } from '../config/env-file.js';
import { detectPort, reloadsItself } from './detect-port.js';
import type { ServiceDraft } from './devenv-draft.js';
import { envFileVars } from './env-file-vars.js';
import type { PackageFacts, RepoFacts, TextFile } from './repo-facts.js';

export interface Script {
  name: string;
  command: string;
}

/** The script that starts a package for development: `dev`, else `start`. */
export function devScript(pkg: PackageFacts): Script | undefined {
  for (const name of ['dev', 'start']) {
    const command = pkg.scripts[name];
    if (typeof command === 'string' && command.trim() !== '') return { name, command };
  }
  return undefined;
}

/**
 * A package.json script → a local-process service (hot reload without a container): how it runs, its port,
 * the `watch` rules it needs, and the comment saying where each came from.
 */
export function scriptService(
  facts: RepoFacts,
  pkg: PackageFacts,
  script: Script,
): { spec: ServiceDraft; comment: string } {
  // A plain `node …` script runs directly, so devenv can warm-start it (npm in between would prevent it).
  const direct =
    /^node\s+[^&|;<>$`()]+$/.test(script.command.trim()) &&
    !/--(watch|inspect|env-file)/.test(script.command);
  const run = direct ? script.command.trim() : runScript(facts.packageManager, script.name);
  const spec: ServiceDraft = { run };
  if (pkg.dir !== '.') spec.cwd = pkg.dir;
  const envPort = variableIn(facts.envFiles, pkg.dir, 'PORT');
  const port = detectPort(script.command, envPort, pkg.readsPortEnv);
  if (port) spec.port = port.port;
  const install = facts.packageManager === 'yarn' ? 'yarn install' : `${facts.packageManager} install`;
  spec.watch = [
    ...(reloadsItself(script.command) ? [] : [{ paths: pkg.dir }]),
    { paths: posix.join(pkg.dir, 'package.json'), action: 'run', command: install },
  ];
  const parts = [
    `The "${script.name}" script of ${posix.join(pkg.dir, 'package.json')}${direct ? ` (\`${script.command.trim()}\`, run directly so restarts are warm)` : ''}.`,
    port
      ? `Port: ${port.reason}.`
      : 'No port found: add `port:` (or `port: auto` if it reads PORT) if it serves HTTP.',
    reloadsItself(script.command)
      ? 'It reloads itself; `watch` reinstalls when package.json changes.'
      : '`watch` restarts it when its files change.',
  ];
  return { spec, comment: parts.join(' ') };
}

function runScript(manager: RepoFacts['packageManager'], script: string): string {
  if (manager === 'yarn') return `yarn ${script}`;
  if (manager === 'npm' && script === 'start') return 'npm start';
  return `${manager} run ${script}`;
}

/**
 * A variable's value in a folder's .env files as devenv would read it: the last of the real layers
 * that sets it (`.env.local` over `.env`), else the first example file; the root's for `.`.
 */
function variableIn(
  envFiles: readonly TextFile[],
  dir: string,
  name: string,
): { value: string; file: string } | undefined {
  const layers = new Set(envFileNames('development'));
  const setting = envFiles
    .filter((f) => posix.dirname(f.path) === dir)
    .flatMap((file) => {
      const value = envFileVars(file).get(name);
      return value === undefined
        ? []
        : [{ value, file: file.path, layer: layers.has(posix.basename(file.path)) }];
    });
  const found = setting.filter((s) => s.layer).at(-1) ?? setting[0];
  return found && { value: found.value, file: found.file };
}
