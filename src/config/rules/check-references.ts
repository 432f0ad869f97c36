import type { ConfigProblem } from '../../errors/config-error.js';
import { closestMatch } from '../../util/closest-match.js';
import { entityGraph } from '../entity-graph.js';
import { dependencyOutputKeys, SELF_KEYS, serviceOutputKeys } from '../output-keys.js';
import { evaluateOutput } from '../output-template.js';
import { parseTemplate } from '../template.js';
import { allNames, didYouMean, problemAt, type Rule, type RuleContext, sectionOf } from './rule-context.js';
import { templatedFields } from './templated-fields.js';

/**
 * Every name written somewhere must exist: `${name.key}` targets and keys, `${secrets.NAME}`, `depends_on`,
 * profiles and preview lists. Conditions must be possible (`healthy` needs a ready check).
 */
export const checkReferences: Rule = (context) => [
  ...checkTemplates(context),
  ...checkDependsOn(context),
  ...checkNameLists(context),
  ...checkOutputs(context),
];

function checkTemplates(context: RuleContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const secrets = Object.keys(context.config.secrets);
  for (const { path, text, allowRefs } of templatedFields(context.config)) {
    const parsed = parseTemplate(text);
    if (!parsed.ok) {
      problems.push(problemAt(context, path, parsed.message));
      continue;
    }
    for (const part of parsed.parts) {
      if ((part.kind === 'ref' || part.kind === 'secret') && !allowRefs) {
        const written = part.kind === 'ref' ? `\${${part.target}.${part.key}}` : `\${secrets.${part.name}}`;
        problems.push(
          problemAt(context, path, `${written}: references and secrets are only allowed in \`env\` values`),
        );
      } else if (part.kind === 'secret' && !secrets.includes(part.name)) {
        problems.push(
          problemAt(context, path, `unknown secret \`${part.name}\` in \${secrets.${part.name}}`, {
            hint:
              didYouMean(closestMatch(part.name, secrets)) ??
              `declare it under \`secrets:\` (env, file or command)`,
          }),
        );
      } else if (part.kind === 'ref') {
        problems.push(...checkReference(context, path, part.target, part.key, String(path[1])));
      }
    }
  }
  return problems;
}

function checkReference(
  context: RuleContext,
  path: PropertyKey[],
  target: string,
  key: string,
  owner: string,
): ConfigProblem[] {
  const written = `\${${target}.${key}}`;
  if (target === 'self') {
    const own = context.dependencies.get(owner);
    const keys = (
      own ? dependencyOutputKeys(own) : serviceOutputKeys(context.config.services[owner] ?? {})
    ).filter((k) => SELF_KEYS.test(k));
    if (path[0] !== 'preview' && keys.includes(key)) return [];
    return [
      problemAt(context, path, `${written}: \`self\` offers ${keys.join(', ')}`, {
        hint: didYouMean(closestMatch(key, keys)),
      }),
    ];
  }
  const section = sectionOf(context, target);
  if (section === undefined) {
    return [
      problemAt(context, path, `${written} refers to \`${target}\`, which is not a dependency or service`, {
        hint: didYouMean(closestMatch(target, allNames(context))),
      }),
    ];
  }
  const dependency = context.dependencies.get(target);
  const service = context.config.services[target];
  const keys = dependency ? dependencyOutputKeys(dependency) : service ? serviceOutputKeys(service) : [];
  if (keys.includes(key)) return [];
  return [
    problemAt(context, path, `${written}: \`${target}\` has no output \`${key}\``, {
      hint: didYouMean(closestMatch(key, keys)) ?? `outputs of \`${target}\`: ${keys.join(', ')}`,
    }),
  ];
}

function checkDependsOn(context: RuleContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, edges] of entityGraph(context.config)) {
    for (const edge of edges.filter((e) => !e.implicit)) {
      const target = edge.name;
      if (target === name) {
        problems.push(problemAt(context, edge.path, `\`${name}\` depends on itself`, { key: true }));
      } else if (sectionOf(context, target) === undefined) {
        problems.push(
          problemAt(
            context,
            edge.path,
            `\`${name}\` depends on \`${target}\`, which is not a dependency or service`,
            {
              key: true,
              hint: didYouMean(closestMatch(target, allNames(context))),
            },
          ),
        );
      } else if (edge.condition === 'healthy' && readinessOf(context, target) === undefined) {
        problems.push(
          problemAt(
            context,
            edge.path,
            `\`${target}\` has no \`ready\` check, so it can never be \`healthy\``,
            { hint: 'add `ready:` to it, or wait for `started`' },
          ),
        );
      } else if (edge.condition === 'completed' && context.config.services[target]?.restart !== 'no') {
        problems.push(
          problemAt(
            context,
            edge.path,
            `\`${target}\` never completes: only a service with \`restart: "no"\` does`,
            { hint: 'one-shot tasks (migrations, seeds) set `restart: "no"`' },
          ),
        );
      }
    }
  }
  return problems;
}

function readinessOf(context: RuleContext, name: string): unknown {
  return context.dependencies.get(name)?.ready ?? context.config.services[name]?.ready;
}

function checkNameLists(context: RuleContext): ConfigProblem[] {
  const { config } = context;
  const names = allNames(context);
  const unknown = (path: PropertyKey[], name: string, key = false): ConfigProblem[] =>
    names.includes(name)
      ? []
      : [
          problemAt(context, path, `unknown dependency or service \`${name}\``, {
            key,
            hint: didYouMean(closestMatch(name, names)),
          }),
        ];
  const problems: ConfigProblem[] = [];
  for (const [profile, members] of Object.entries(config.profiles)) {
    for (const [index, name] of members.entries())
      problems.push(...unknown(['profiles', profile, index], name));
  }
  const preview = config.preview;
  if (preview) {
    for (const [index, name] of (preview.services ?? []).entries()) {
      problems.push(...unknown(['preview', 'services', index], name));
    }
    for (const name of Object.keys(preview.env ?? {}))
      problems.push(...unknown(['preview', 'env', name], name, true));
    const profiles = Object.keys(config.profiles);
    if (preview.profile !== undefined && !profiles.includes(preview.profile)) {
      problems.push(
        problemAt(context, ['preview', 'profile'], `unknown profile \`${preview.profile}\``, {
          hint: didYouMean(closestMatch(preview.profile, profiles)),
        }),
      );
    }
    if (preview.basic_auth !== undefined && !Object.hasOwn(config.secrets, preview.basic_auth)) {
      problems.push(
        problemAt(context, ['preview', 'basic_auth'], `unknown secret \`${preview.basic_auth}\``, {
          hint: didYouMean(closestMatch(preview.basic_auth, Object.keys(config.secrets))),
        }),
      );
    }
  }
  return problems;
}

/** User-written outputs must only read their own host, ports and env. */
function checkOutputs(context: RuleContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, dependency] of Object.entries(context.config.dependencies)) {
    for (const [key, output] of Object.entries(dependency.outputs ?? {})) {
      const templates = typeof output === 'string' ? [output] : [output.host, output.network];
      for (const template of templates) {
        const result = evaluateOutput(template, undefined);
        if (!result.ok)
          problems.push(
            problemAt(
              context,
              ['dependencies', name, 'outputs', key],
              `output \`${key}\`: ${result.message}`,
            ),
          );
      }
    }
  }
  return problems;
}
