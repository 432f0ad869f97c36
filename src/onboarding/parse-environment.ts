import { isRecord } from './is-record.js';
import type { Parsed } from './parsed.js';

/** An environment entry: a value, or `undefined` for a bare `KEY` (passed through from the shell). */
export type ComposeEnv = Map<string, string | undefined>;

/** `environment:` / `args:` as a map (`KEY: value`, `KEY:` alone) or a list (`KEY=value`, `KEY` alone). */
export function parseEnvironment(value: unknown): Parsed<ComposeEnv> {
  const env: ComposeEnv = new Map();
  if (value === undefined || value === null) return { ok: true, value: env };
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string')
        return { ok: false, problem: `list entry \`${String(item)}\` is not KEY=value` };
      const equals = item.indexOf('=');
      if (equals === -1) env.set(item.trim(), undefined);
      else env.set(item.slice(0, equals).trim(), item.slice(equals + 1));
    }
    return { ok: true, value: env };
  }
  if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      env.set(key, item === null || item === undefined ? undefined : String(item));
    }
    return { ok: true, value: env };
  }
  return { ok: false, problem: 'expected a map or a list of KEY=value' };
}
