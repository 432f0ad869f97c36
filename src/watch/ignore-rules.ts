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
 *
 * A keep path is exempt itself; what lies inside it is exempt only when `.gitignore` lists the keep
 * path (or a folder above it): watching a gitignored `dist` has to see its files, but watching `src`
 * must not see `src/app.log` or `src/__pycache__`, or a service that writes its log there restarts
 * itself for ever.
 */
export class IgnoreRules {
  readonly #keep: readonly string[];
  #gitignore: Ignore;
  /** Keep paths that `.gitignore` lists: everything inside them is exempt from it. */
  #ignoredRoots: readonly string[];

  constructor(gitignoreText: string, keep: readonly string[]) {
    this.#keep = keep.filter((path) => path !== '');
    this.#gitignore = ignore().add(gitignoreText);
    this.#ignoredRoots = this.#findIgnoredRoots();
  }

  /** The root `.gitignore` changed: apply it to the next events. */
  setGitignore(text: string): void {
    this.#gitignore = ignore().add(text);
    this.#ignoredRoots = this.#findIgnoredRoots();
  }

  ignores(path: string, isDirectory: boolean | undefined): boolean {
    if (path === '' || path.startsWith('../')) return false;
    const segments = path.split('/');
    if (segments.some((segment) => ALWAYS_IGNORED_DIRS.has(segment))) return true;
    const base = posix.basename(path);
    if (isDirectory !== true && EDITOR_TEMP.some((pattern) => pattern.test(base))) return true;
    if (this.#isKept(path)) return false;
    return this.#gitignored(path, isDirectory === true);
  }

  /** Kept: a keep path itself, a folder on the way to one (so it is walked), or inside an ignored one. */
  #isKept(path: string): boolean {
    return (
      this.#keep.some((keep) => path === keep || keep.startsWith(`${path}/`)) ||
      this.#ignoredRoots.some((root) => path.startsWith(`${root}/`))
    );
  }

  #gitignored(path: string, isDirectory: boolean): boolean {
    return this.#gitignore.ignores(path) || (isDirectory && this.#gitignore.ignores(`${path}/`));
  }

  /** A keep path may be a folder whatever its name says, so a folder-only pattern (`dist/`) counts. */
  #findIgnoredRoots(): string[] {
    return this.#keep.filter((keep) => this.#gitignored(keep, true));
  }
}
