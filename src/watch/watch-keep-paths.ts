import picomatch from 'picomatch';
import type { ResolvedService } from '../model/resolved-service.js';
import { normalizeEntry } from './compile-watch-rule.js';

/**
 * Paths the watcher must see even when `.gitignore` lists them: the config files (`.env.local` is
 * usually ignored) and what watch rules name explicitly (`paths: dist` for a `tsc --watch` output;
 * `IgnoreRules` exempts what is inside only when the named folder is itself gitignored).
 * A rule anchored at the project root (`**\/*.ts`) keeps nothing, or .gitignore would mean nothing.
 */
export function watchKeepPaths(
  services: readonly ResolvedService[],
  configFiles: readonly string[],
): string[] {
  const roots = services.flatMap((service) =>
    service.watch.flatMap((rule) => rule.paths.map((path) => picomatch.scan(normalizeEntry(path)).base)),
  );
  return [...new Set([...configFiles.map(normalizeEntry), ...roots])].filter((path) => path !== '');
}
