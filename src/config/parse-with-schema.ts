import type { z } from 'zod';
import type { ConfigProblem } from '../errors/config-error.js';
import { parseYaml } from './parse-yaml.js';
import type { Locate } from './source-position.js';
import { problemsFromZod } from './zod-problems.js';

export type Parsed<T> = { ok: true; value: T; locate: Locate } | { ok: false; problems: ConfigProblem[] };

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
    return {
      ok: false,
      problems: problemsFromZod(result.error.issues, {
        schema,
        input: parsed.value,
        locate: parsed.locate,
        file,
      }).sort((a, b) => a.line - b.line || a.col - b.col),
    };
  }
  return { ok: true, value: result.data, locate: parsed.locate };
}
