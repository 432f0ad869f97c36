// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import type { ConfigProblem } from '../../errors/config-error.js';
import { isDnsLabel, slugify } from '../../naming/dns-label.js';
import { problemAt, type Rule, type RuleContext } from './rule-context.js';

/** Names that `${…}` or the CLI give a meaning of their own. */
export const RESERVED_NAMES = new Set(['secrets', 'self', 'env', 'ports', 'host', 'port']);

/** Names end up in DNS names, container names and URLs: they must be DNS labels, unique, not reserved. */
export const checkNames: Rule = (context) => {
  const { config } = context;
  const problems: ConfigProblem[] = [];
  if (config.name !== undefined && !isDnsLabel(config.name)) {
    problems.push(
      problemAt(context, ['name'], `project name \`${config.name}\` is not a DNS label`, {
        hint: labelHint(config.name),
      }),
    );
  }
  for (const section of ['dependencies', 'services'] as const) {
    for (const [name, entity] of Object.entries(config[section])) {
      problems.push(
        ...checkLabel(context, [section, name], name, section === 'dependencies' ? 'dependency' : 'service'),
      );
      if (RESERVED_NAMES.has(name)) {
        problems.push(
          problemAt(context, [section, name], `\`${name}\` is reserved; choose another name`, { key: true }),
        );
      }
      for (const volume of Object.keys(entity.volumes ?? {})) {
        problems.push(...checkLabel(context, [section, name, 'volumes', volume], volume, 'volume'));
      }
    }
  }
  for (const name of Object.keys(config.services)) {
    if (Object.hasOwn(config.dependencies, name)) {
      problems.push(
        problemAt(context, ['services', name], `\`${name}\` is both a dependency and a service`, {
          key: true,
          hint: 'names share one namespace (network aliases, `${name.key}`); rename one',
        }),
      );
    }
  }
  for (const [name] of Object.entries(config.dependencies)) {
    for (const port of Object.keys(context.dependencies.get(name)?.ports ?? {})) {
      if (!/^[a-z][a-z0-9-]*$/.test(port)) {
        problems.push(
          problemAt(
            context,
            ['dependencies', name, 'ports', port],
            `port name \`${port}\` must be lowercase letters, digits and -`,
            { key: true },
          ),
        );
      }
    }
  }
  for (const profile of Object.keys(config.profiles))
    problems.push(...checkLabel(context, ['profiles', profile], profile, 'profile'));
  for (const secret of Object.keys(config.secrets)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(secret)) {
      problems.push(
        problemAt(
          context,
          ['secrets', secret],
          `secret name \`${secret}\` must be letters, digits, _ and -`,
          { key: true },
        ),
      );
    }
  }
  return problems;
};

function checkLabel(
  context: RuleContext,
  path: readonly string[],
  name: string,
  what: string,
): ConfigProblem[] {
  if (isDnsLabel(name)) return [];
  return [
    problemAt(context, path, `${what} name \`${name}\` is not a DNS label`, {
      key: true,
      hint: labelHint(name),
    }),
  ];
}

function labelHint(name: string): string {
  const slug = slugify(name).slice(0, 63).replace(/-+$/, '');
  const base = 'use lowercase letters, digits and inner hyphens, at most 63 characters';
  return slug === '' || slug === name ? base : `${base}, e.g. \`${slug}\``;
}
