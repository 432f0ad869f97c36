import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import { ExternalError } from '../errors/devenv-error.js';
import type { Clock } from '../util/clock.js';
import type { FileChange, FileChangeKind } from './file-change.js';
import { IgnoreRules } from './ignore-rules.js';

export interface WatchFilesOptions {
  /** Absolute project folder (where devenv.yaml is); everything below it is watched by one watcher. */
  projectDir: string;
  clock: Clock;
  onChange: (change: FileChange) => void;
  /** Watching problems (EMFILE, ENOSPC, an unreadable .gitignore): reported, the watcher keeps going. */
  onError: (error: ExternalError) => void;
  /** Relative paths exempt from `.gitignore` (see `watchKeepPaths`). @default [] */
  keep?: readonly string[];
  /**
   * Raw file-system activity on a relative path that is not ignored (`undefined`: the path is not
   * known), the moment the kernel reports it: chokidar reports the first write to a file at once but
   * holds later ones back for up to 50 ms, so this is what says a burst is still going on.
   */
  onActivity?: (path: string | undefined) => void;
}

/** A running watcher; `close()` releases every handle. */
export interface FileWatcher {
  close(): Promise<void>;
}

/**
 * Watches the project folder and reports file events as relative POSIX paths. Resolves once the
 * initial scan is done, so a change made after it is never missed; files found by the scan are not
 * reported. The only importer of chokidar.
 */
export async function watchFiles(options: WatchFilesOptions): Promise<FileWatcher> {
  const { projectDir, clock } = options;
  const rules = new IgnoreRules(await readGitignore(projectDir, options.onError), options.keep ?? []);
  const toRelative = (path: string): string => relative(projectDir, path).split(sep).join('/');
  const watcher = watch(projectDir, {
    ignoreInitial: true,
    // Stats are only there on the second call; without them a folder pattern (`dist/`) waits for it.
    ignored: (path, stats) => rules.ignores(toRelative(path), stats?.isDirectory()),
  });
  const report = (kind: FileChangeKind) => (path: string) => {
    const rel = toRelative(path);
    if (rel === '.gitignore') {
      readGitignore(projectDir, options.onError).then((text) => rules.setGitignore(text), options.onError);
    }
    options.onChange({ path: rel, kind, at: clock.now() });
  };
  watcher.on('add', report('add'));
  watcher.on('change', report('change'));
  watcher.on('unlink', report('unlink'));
  watcher.on('unlinkDir', report('unlink'));
  const onActivity = options.onActivity;
  if (onActivity) {
    watcher.on('raw', (_event, path, details) => {
      const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
      if (typeof watched !== 'string' || !path) return onActivity(undefined);
      // A folder's watcher names the entry inside it; a single file's watcher may name the file
      // itself: then report both readings, an extra path costs nothing but a replay not dropped.
      const readings = isAbsolute(path)
        ? [path]
        : basename(watched) === path
          ? [join(watched, path), watched]
          : [join(watched, path)];
      for (const absolute of readings) {
        const rel = toRelative(absolute);
        if (!rules.ignores(rel, undefined)) onActivity(rel);
      }
    });
  }
  watcher.on('error', (error) => options.onError(watchError(error)));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return { close: () => watcher.close() };
}

async function readGitignore(projectDir: string, onError: (error: ExternalError) => void): Promise<string> {
  try {
    return await readFile(join(projectDir, '.gitignore'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      onError(
        new ExternalError(
          'WATCH_GITIGNORE_UNREADABLE',
          `Could not read .gitignore: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    }
    return '';
  }
}

function watchError(error: unknown): ExternalError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC'
      ? 'The inotify watch limit is reached: raise fs.inotify.max_user_watches, or watch fewer folders.'
      : code === 'EMFILE'
        ? 'Too many open files: raise the limit (`ulimit -n 65536`) or watch fewer folders.'
        : undefined;
  return new ExternalError('WATCH_FAILED', `Watching files failed: ${(error as Error).message}`, {
    cause: error,
    ...(hint === undefined ? {} : { hint }),
  });
}
