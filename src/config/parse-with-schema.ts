import type { z } from 'zod';
import type { ConfigProblem } from '../errors/config-error.js';
import { parseYaml } from './parse-yaml.js';
import type { Locate } from './source-position.js';
import { problemsFromZod } from './zod-problems.js';

export type Parsed<T> =
  | { ok: true; value: T; locate: Locate }
  | {
      ok: false;
      problems: ConfigProblem[];
      /**
       * When the only schema problems are unknown keys, the value with those keys left out: callers can
       * still run their cross-field rules on it, so a misspelt key does not hide an unknown reference.
       */
      recovered?: { value: T; locate: Locate; strippedFrom: readonly (readonly PropertyKey[])[] };
    };

/** YAML text → a value of the schema's output type, or every syntax and schema problem with positions. */
export function parseWithSchema<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): Parsed<z.output<S>> {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return parsed;
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    const problems = problemsFromZod(result.error.issues, {
      schema,
      input: parsed.value,
      locate: parsed.locate,
      file,
    }).sort((a, b) => a.line - b.line || a.col - b.col);
    const onlyUnknownKeys = result.error.issues.every((issue) => issue.code === 'unrecognized_keys');
    const retried = onlyUnknownKeys
      ? schema.safeParse(withoutKeys(parsed.value, result.error.issues))
      : undefined;
    return {
      ok: false,
      problems,
      ...(retried?.success
        ? {
            recovered: {
              value: retried.data,
              locate: parsed.locate,
              strippedFrom: result.error.issues.map((issue) => issue.path),
            },
          }
        : {}),
    };
  }
  return { ok: true, value: result.data, locate: parsed.locate };
}

/** A deep copy of `input` without the unknown keys zod reported (positions stay valid: nothing moves). */
function withoutKeys(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy: unknown = structuredClone(input);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let target: unknown = copy;
    for (const segment of issue.path)
      target = (target as Record<PropertyKey, unknown> | undefined)?.[segment];
    if (target !== null && typeof target === 'object') {
      for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
    }
  }
  return copy;
}
