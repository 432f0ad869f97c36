import type { ConfigProblem } from '../../errors/config-error.js';
import { problemAt, type Rule, serviceKind } from './rule-context.js';

const FITS = {
  restart: ['process', 'build', 'image'],
  sync: ['build', 'image'],
  rebuild: ['build'],
  run: ['process', 'build', 'image'],
} as const;

const WHY = {
  sync: 'a local process already sees your files; use `restart`, or nothing if it reloads itself',
  rebuild: 'only services with `build` have an image to rebuild; use `restart`',
} as const;

/** A watch action must make sense for how the service runs, and carry the field it needs. */
export const checkWatchRules: Rule = (context) => {
  const problems: ConfigProblem[] = [];
  for (const [name, service] of Object.entries(context.config.services)) {
    const kind = serviceKind(service);
    service.watch.forEach((rule, index) => {
      const path = ['services', name, 'watch', index];
      const fits: readonly string[] = FITS[rule.action];
      if (!fits.includes(kind)) {
        const what = kind === 'process' ? 'a local process (`run`)' : `an \`${kind}\` service`;
        problems.push(
          problemAt(context, [...path, 'action'], `watch action \`${rule.action}\` does not fit ${what}`, {
            hint: rule.action === 'sync' || rule.action === 'rebuild' ? WHY[rule.action] : undefined,
          }),
        );
      }
      if (rule.action === 'sync' && rule.target === undefined) {
        problems.push(
          problemAt(context, path, '`action: sync` needs `target`, the container path to copy into'),
        );
      }
      if (rule.action !== 'sync' && rule.target !== undefined) {
        problems.push(
          problemAt(context, [...path, 'target'], '`target` only applies to `action: sync`', { key: true }),
        );
      }
      if (rule.action === 'run' && rule.command === undefined) {
        problems.push(problemAt(context, path, '`action: run` needs `command`, e.g. `command: npm install`'));
      }
      if (rule.action !== 'run' && rule.command !== undefined) {
        problems.push(
          problemAt(context, [...path, 'command'], '`command` only applies to `action: run`', { key: true }),
        );
      }
    });
  }
  return problems;
};
