import type { z } from 'zod';
import type { ConfigProblem } from '../errors/config-error.js';
import { closestMatch } from '../util/closest-match.js';
import { knownKeysAt } from './known-keys.js';
import type { Locate } from './source-position.js';

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into problems a user can act on: located on the YAML node (the key itself for unknown
 * keys), phrased with the dotted path, with a did-you-mean where one is plausible.
 */
export function problemsFromZod(
  issues: readonly Issue[],
  context: { schema: z.ZodType; input: unknown; locate: Locate; file: string },
): ConfigProblem[] {
  return flatten(issues, [], context.input).flatMap((issue) => describeIssue(issue, context));
}

/** Union failures nest one issue list per option; keep the option the value was evidently meant for. */
function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[], input: unknown): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path }];
    const plausible = issue.errors.filter((branch) => !branch.every(isRootTypeMismatch));
    if (plausible.length === 1 && plausible[0]) return flatten(plausible[0], path, input);
    if (plausible.length > 1) {
      const fewest = [...plausible].sort((a, b) => a.length - b.length)[0] ?? [];
      return flatten(fewest, path, input);
    }
    const expected = issue.errors.flatMap((branch) => branch.map(expectedOf)).filter((e) => e !== '');
    const message = `expected ${[...new Set(expected)].join(' or ')}, got ${received(valueAt(input, path))}`;
    return [{ code: 'custom', path, message } as Issue];
  });
}

function isRootTypeMismatch(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function expectedOf(issue: Issue): string {
  if (issue.code === 'invalid_type') return article(issue.expected);
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v)).join(' or ');
  return '';
}

function article(expected: string): string {
  const noun =
    expected === 'int' ? 'integer' : expected === 'array' ? 'list' : expected === 'object' ? 'map' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeIssue(
  issue: Issue,
  { schema, input, locate, file }: { schema: z.ZodType; input: unknown; locate: Locate; file: string },
): ConfigProblem[] {
  const where = dotted(issue.path);
  const at = (path: readonly PropertyKey[], key = false) => ({ file, ...locate(path, { key }) });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const suggestion = suggestKey(key, allowed);
        return {
          ...at([...issue.path, key], true),
          message: `unknown key \`${key}\`${where ? ` in ${where}` : ' at the top level'}`,
          hint: suggestion ? `did you mean \`${suggestion}\`?` : `allowed here: ${allowed.join(', ')}`,
        };
      });
    }
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (value === undefined) {
        const parent = issue.path.slice(0, -1);
        return [
          {
            ...at(parent),
            message: `missing \`${String(issue.path.at(-1))}\` in ${dotted(parent) || 'the file'}`,
          },
        ];
      }
      return [
        {
          ...at(issue.path),
          message: `${where || 'the file'}: expected ${article(issue.expected)}, got ${received(value)}`,
        },
      ];
    }
    case 'invalid_value': {
      const value = valueAt(input, issue.path);
      const options = issue.values.map(String);
      const suggestion = typeof value === 'string' ? closestMatch(value, options) : undefined;
      return [
        {
          ...at(issue.path),
          message: `${where}: expected one of ${options.map((o) => `\`${o}\``).join(', ')}, got ${received(value)}`,
          ...(suggestion ? { hint: `did you mean \`${suggestion}\`?` } : {}),
        },
      ];
    }
    case 'invalid_key': {
      const nested = issue.issues[0]?.message ?? issue.message;
      const key = String(issue.path.at(-1));
      return [{ ...at(issue.path, true), message: `${where}: invalid name \`${key}\`: ${nested}` }];
    }
    default:
      return [{ ...at(issue.path), message: `${where || 'the file'}: ${lowerFirst(issue.message)}` }];
  }
}

/** Keys people bring from compose and other tools, mapped to ours. */
const KEY_ALIASES: Record<string, string> = {
  environment: 'env',
  healthcheck: 'ready',
  readiness: 'ready',
  dependsOn: 'depends_on',
  working_dir: 'cwd',
  workdir: 'cwd',
  dockerfile: 'build',
  entrypoint: 'command',
  cmd: 'command',
  services: 'dependencies',
  restart_policy: 'restart',
};

function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const direct = closestMatch(key, allowed);
  if (direct !== undefined) return direct;
  const alias = closestMatch(key, Object.keys(KEY_ALIASES));
  const target = alias === undefined ? undefined : KEY_ALIASES[alias];
  return target !== undefined && allowed.includes(target) ? target : undefined;
}

function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function received(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

function lowerFirst(text: string): string {
  return text.replace(/^./, (c) => c.toLowerCase());
}
