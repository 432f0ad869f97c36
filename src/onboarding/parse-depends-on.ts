import { isRecord } from './is-record.js';
import type { Parsed } from './parsed.js';

export type ComposeCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ComposeDependsOn {
  name: string;
  condition: ComposeCondition;
  /** The list form: compose waits for `started`; devenv's list form waits for `healthy` where it can. */
  fromList: boolean;
  required: boolean;
  restart: boolean;
}

export function parseDependsOn(value: unknown): Parsed<ComposeDependsOn[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (Array.isArray(value)) {
    return {
      ok: true,
      value: value.map((name) => ({
        name: String(name),
        condition: 'service_started',
        fromList: true,
        required: true,
        restart: false,
      })),
    };
  }
  if (isRecord(value)) {
    const entries: ComposeDependsOn[] = [];
    for (const [name, spec] of Object.entries(value)) {
      const options = isRecord(spec) ? spec : {};
      const condition = options.condition ?? 'service_started';
      if (
        condition !== 'service_started' &&
        condition !== 'service_healthy' &&
        condition !== 'service_completed_successfully'
      ) {
        return {
          ok: false,
          problem: `condition \`${String(condition)}\` of \`${name}\` is not a compose condition`,
        };
      }
      entries.push({
        name,
        condition,
        fromList: false,
        required: options.required !== false,
        restart: options.restart === true,
      });
    }
    return { ok: true, value: entries };
  }
  return { ok: false, problem: 'expected a list of names or a map of name to {condition}' };
}
