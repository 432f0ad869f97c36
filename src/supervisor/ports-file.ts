import { readFile } from 'node:fs/promises';
import type { HostPortOverrides } from '../model/resolved-port.js';
import { writeJsonAtomically } from '../util/write-json-atomically.js';

/** Host ports devenv had to choose for an environment, kept so they stay the same across restarts. */
export async function readPortsFile(path: string): Promise<HostPortOverrides> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isOverrides(parsed) ? parsed : {};
  } catch (error) {
    // Missing is normal (nothing had to move); unreadable means start over with derived ports.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return {};
    throw error;
  }
}

/** Written atomically (rename) so a crash never leaves half a file. */
export async function writePortsFile(path: string, overrides: HostPortOverrides): Promise<void> {
  await writeJsonAtomically(path, overrides);
}

function isOverrides(value: unknown): value is HostPortOverrides {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every(
      (ports) =>
        typeof ports === 'object' &&
        ports !== null &&
        Object.values(ports).every((port) => Number.isInteger(port)),
    )
  );
}
