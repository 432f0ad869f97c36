/** One hot-reload rule: when files matching `paths` (minus `ignore`) change, do `action`. */
export interface ResolvedWatchRule {
  /** Paths or globs relative to `ResolvedEnvironment.projectDir`, POSIX separators. */
  paths: readonly string[];
  /** Globs to leave out; `**\/node_modules/**` and `**\/.git/**` are always included. */
  ignore: readonly string[];
  action:
    | { kind: 'restart' }
    /** Copy changed files into the running container under `target` (paths keep their layout below the watched root). */
    | { kind: 'sync'; target: string }
    | { kind: 'rebuild' }
    /** Run `command` (argv) where the service runs, then restart. */
    | { kind: 'run'; command: readonly string[] };
}
