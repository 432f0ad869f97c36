import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { ResolvedWatchRule } from '../model/resolved-watch-rule.js';

/** A watch rule turned into questions about one relative POSIX path. */
export interface CompiledWatchRule {
  rule: ResolvedWatchRule;
  /** Whether a change to `path` triggers the rule: matched by `paths` and not by `ignore`. */
  matches(path: string): boolean;
  /** Where `path` goes under `target` for `sync`: its layout below the rule's root is kept. */
  destination(path: string, target: string): string;
}

interface PathPattern {
  test(path: string): boolean;
  /** The folder the pattern is anchored at (`api/src` for `api/src` and `api/src/**\/*.ts`). */
  root: string;
}

/**
 * `paths` and `ignore` entries are files, folders or globs relative to the project folder. A plain
 * entry means the file itself or everything below the folder, which is what users mean by `paths: src`.
 * Dotfiles match like other files (`.env.example`, `.eslintrc`).
 */
export function compileWatchRule(rule: ResolvedWatchRule): CompiledWatchRule {
  const paths = rule.paths.map(compilePattern);
  const ignores = rule.ignore.map(compilePattern);
  return {
    rule,
    matches: (path) => paths.some((p) => p.test(path)) && !ignores.some((p) => p.test(path)),
    destination(path, target) {
      const root = paths.find((p) => p.test(path))?.root ?? '';
      // `paths: api/package.json` with `target: /app/package.json` copies the file onto the target.
      if (path === root) return target;
      return posix.join(target, root === '' ? path : path.slice(root.length + 1));
    },
  };
}

function compilePattern(entry: string): PathPattern {
  const pattern = normalizeEntry(entry);
  const scan = picomatch.scan(pattern);
  if (scan.isGlob) {
    const isMatch = picomatch(pattern, { dot: true });
    return { test: (path) => isMatch(path), root: scan.base };
  }
  return {
    test: (path) => pattern === '' || path === pattern || path.startsWith(`${pattern}/`),
    root: pattern,
  };
}

/** `./src/`, `src` and `src/` mean the same folder; `.` is the whole project. */
export function normalizeEntry(entry: string): string {
  let pattern = entry.replaceAll('\\', '/');
  while (pattern.startsWith('./')) pattern = pattern.slice(2);
  while (pattern.endsWith('/') && pattern.length > 1) pattern = pattern.slice(0, -1);
  return pattern === '.' || pattern === '/' ? '' : pattern;
}
