import { readFile, rm } from 'node:fs/promises';
import type { SelectionRequest } from '../config/select-entities.js';
import { writeJsonAtomically } from '../util/write-json-atomically.js';

/**
 * What a running supervisor was asked to run (`devenv up api`, then `devenv up --profile full`): kept
 * beside its pid file so `status`, `urls` and `env` describe the same set, and so a successor of a
 * killed supervisor runs it again. Written by the supervisor only; removed when it stops and by `down`.
 */
export async function readSelectionFile(path: string): Promise<SelectionRequest | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isSelectionRequest(parsed) ? parsed : undefined;
  } catch (error) {
    // Missing: nothing runs, or it runs what plain `up` runs. Unreadable: the same, start over.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function writeSelectionFile(path: string, selection: SelectionRequest): Promise<void> {
  await writeJsonAtomically(path, selection);
}

export async function removeSelectionFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

function isSelectionRequest(value: unknown): value is SelectionRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { names, profiles, defaults } = value as Record<string, unknown>;
  const strings = (list: unknown) =>
    list === undefined || (Array.isArray(list) && list.every((item) => typeof item === 'string'));
  return strings(names) && strings(profiles) && (defaults === undefined || typeof defaults === 'boolean');
}
