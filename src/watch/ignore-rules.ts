import { posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Never useful triggers, and huge: pruned before chokidar descends into them. */
const ALWAYS_IGNORED_DIRS = new Set(['.git', 'node_modules']);

/** Editors' swap, backup and lock files; vim's `4913` probes whether it can write a folder. */
const EDITOR_TEMP = [/\.sw[a-p]$/, /~$/, /^\.#/, /^4913$/, /\.tmp$/, /^\.DS_Store$/];

/**
 * Decides which relative POSIX paths the watcher ignores: `.git`, `node_modules`, editor temp files,
 * and what the repository's `.gitignore` lists — except `keep` paths (config files such as a
 * gitignored `.env.local`, and the folders watch rules name explicitly, like a gitignored `dist`).
 */
export class IgnoreRules {
  readonly #keep: readonly string[];
  #gitignore: Ignore;

  constructor(gitignoreText: string, keep: readonly string[]) {
    this.#gitignore = ignore().add(gitignoreText);
    this.#keep = keep.filter((path) => path !== '');
  }

  /** The root `.gitignore` changed: apply it to the next events. */
  setGitignore(text: string): void {
    this.#gitignore = ignore().add(text);
  }

  ignores(path: string, isDirectory: boolean | undefined): boolean {
    if (path === '' || path.startsWith('../')) return false;
    const segments = path.split('/');
    if (segments.some((segment) => ALWAYS_IGNORED_DIRS.has(segment))) return true;
    const base = posix.basename(path);
    if (isDirectory !== true && EDITOR_TEMP.some((pattern) => pattern.test(base))) return true;
    if (this.#isKept(path)) return false;
    return this.#gitignore.ignores(path) || (isDirectory === true && this.#gitignore.ignores(`${path}/`));
  }

  /** Kept: a keep path itself, inside one, or a folder on the way to one (so it is walked). */
  #isKept(path: string): boolean {
    return this.#keep.some(
      (keep) => path === keep || path.startsWith(`${keep}/`) || keep.startsWith(`${path}/`),
    );
  }
}
