import type { ComposeFile } from './parse-compose-file.js';

/** A package.json (the root's, or a workspace's) and what onboarding reads from it. */
export interface PackageFacts {
  /** Folder relative to the project, posix; `.` for the root. */
  dir: string;
  name?: string;
  scripts: Readonly<Record<string, string>>;
  /** Names of `dependencies` and `devDependencies`. */
  dependencies: readonly string[];
  /** Its entry file reads `process.env.PORT`, so `port: auto` reaches it. */
  readsPortEnv: boolean;
}

export interface TextFile {
  /** Relative to the project, posix. */
  path: string;
  text: string;
}

/** Everything `devenv init` looks at, read by `read-repo-facts.ts`; the rest of init is pure. */
export interface RepoFacts {
  /** The project folder's name: the default project name. */
  folderName: string;
  packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun';
  packages: readonly PackageFacts[];
  /** Workspace patterns the reader could not expand (deeper globs): mentioned, not guessed. */
  unexpandedWorkspaces: readonly string[];
  dockerfiles: readonly TextFile[];
  /** `.env` layers and examples (`.env.example`, `.env.sample`), at the root and in package folders. */
  envFiles: readonly TextFile[];
  compose?: { file: ComposeFile; envFiles: ReadonlyMap<string, string> };
}
