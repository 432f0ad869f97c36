import type { ServiceDraft } from './devenv-draft.js';
import { isRecord } from './is-record.js';
import { rebasePath } from './parse-compose-file.js';
import { parseEnvironment } from './parse-environment.js';
import type { ServiceContext } from './service-context.js';

const BUILD_KEYS = ['context', 'dockerfile', 'target', 'args'];

/** `build:` (a path or `{context, dockerfile, target, args}`) → devenv's `build:`, the short form where it fits. */
export function convertBuild(context: ServiceContext, value: unknown): ServiceDraft['build'] | undefined {
  if (value === undefined) return undefined;
  const spec = typeof value === 'string' ? { context: value } : isRecord(value) ? value : undefined;
  if (!spec) {
    context.warn('build', 'not a path or a map; left out');
    return undefined;
  }
  const contextText = typeof spec.context === 'string' ? spec.context : '.';
  if (/^[a-z]+:\/\/|^git@/.test(contextText)) {
    context.warn(
      'build',
      `a remote context (\`${contextText}\`) is not supported: clone it into the repository, or use its image`,
    );
    return undefined;
  }
  const folder = rebasePath(context.compose.dir, contextText);
  const build: Exclude<ServiceDraft['build'], string | undefined> = { context: folder };
  if (typeof spec.dockerfile === 'string') build.dockerfile = spec.dockerfile;
  if (typeof spec.target === 'string') build.target = spec.target;
  const args = parseEnvironment(spec.args);
  if (!args.ok) context.warn('build.args', `${args.problem}; left out`);
  else if (args.value.size > 0) {
    build.args = Object.fromEntries(
      [...args.value].map(([k, v]) => [k, v === undefined ? `\${${k}:-}` : context.template(v)]),
    );
  }
  for (const key of Object.keys(spec)) {
    if (BUILD_KEYS.includes(key)) continue;
    context.warn(
      `build.${key}`,
      'not supported by devenv builds (context, dockerfile, target, args); left out',
    );
  }
  return build.dockerfile === undefined && build.target === undefined && build.args === undefined
    ? folder
    : build;
}
