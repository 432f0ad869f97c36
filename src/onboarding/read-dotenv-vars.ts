import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { envFileNames, parseEnvFile } from '../config/env-file.js';

/**
 * Variables Compose and devenv interpolate from: the project's .env layers (devenv's) and the `.env`
 * beside the Compose file (Compose's). Unreadable or malformed lines are skipped here: devenv's own
 * check of the written file reports them with their positions.
 */
export function readDotenvVars(projectDir: string, composeDir = '.'): Map<string, string> {
  const vars = new Map<string, string>();
  const files = [...(composeDir === '.' ? [] : [join(composeDir, '.env')]), ...envFileNames('development')];
  for (const name of files) {
    const path = join(projectDir, name);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    for (const [key, value] of parseEnvFile({ file: name, text: readFileSync(path, 'utf8') }).vars)
      vars.set(key, value);
  }
  return vars;
}
