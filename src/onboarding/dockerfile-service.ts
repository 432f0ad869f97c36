import { posix } from 'node:path';
import type { ServiceDraft } from './devenv-draft.js';
import { devStage, parseDockerfile } from './parse-dockerfile.js';
import type { TextFile } from './repo-facts.js';

/** One Dockerfile per folder, so one service: a development Dockerfile (`Dockerfile.dev`) over the plain one. */
export function dockerfilesByFolder(dockerfiles: readonly TextFile[]): Map<string, TextFile> {
  const byDir = new Map<string, TextFile>();
  for (const dockerfile of dockerfiles) {
    const dir = posix.dirname(dockerfile.path);
    const current = byDir.get(dir);
    if (!current || /dev/i.test(posix.basename(dockerfile.path))) byDir.set(dir, dockerfile);
  }
  return byDir;
}

/**
 * A folder's Dockerfile → a `build:` service: `port:` from its EXPOSE, `target:` a stage made for
 * development, and a rule that rebuilds it on every change (the safe default; `sync` needs a reloading app).
 */
export function dockerfileService(
  dir: string,
  dockerfile: TextFile,
): { spec: ServiceDraft; comment: string } {
  const parsed = parseDockerfile(dockerfile.text);
  const base = posix.basename(dockerfile.path);
  const target = devStage(parsed.stages);
  const build: ServiceDraft['build'] =
    base === 'Dockerfile' && target === undefined
      ? dir
      : {
          context: dir,
          ...(base === 'Dockerfile' ? {} : { dockerfile: base }),
          ...(target ? { target } : {}),
        };
  const spec: ServiceDraft = { build };
  if (parsed.port !== undefined) spec.port = parsed.port;
  spec.watch = [{ paths: dir, action: 'rebuild' }];
  const comment = `Built from ${dockerfile.path}${parsed.port === undefined ? ' (no EXPOSE: add `port:` if it serves HTTP)' : ` (port from its EXPOSE)`}. \`watch\` rebuilds it on every change: use \`sync\` rules if the app reloads itself.`;
  return { spec, comment };
}
