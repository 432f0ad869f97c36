import { envFileNames, parseEnvFile } from '../config/env-file.js';
import type { TextFile } from './repo-facts.js';

/** An env file's variables; lines devenv cannot read are left to the check of the written file. */
export function envFileVars(file: TextFile): Map<string, string> {
  return parseEnvFile({ file: file.path, text: file.text }).vars;
}

/** The root's .env layers devenv itself reads (development mode): they feed `${VAR}` in Compose values too. */
export function rootLayerVars(envFiles: readonly TextFile[]): Map<string, string> {
  const layers = new Set(envFileNames('development'));
  const vars = new Map<string, string>();
  for (const file of envFiles.filter((f) => layers.has(f.path)))
    for (const [key, value] of envFileVars(file)) vars.set(key, value);
  return vars;
}
