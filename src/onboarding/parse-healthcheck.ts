import { durationMs } from './compose-durations.js';
import { isRecord } from './is-record.js';
import type { Parsed } from './parsed.js';

export interface ComposeHealthcheck {
  /** A string runs through a shell (CMD-SHELL); a list is the exact argv (CMD). */
  command: string | string[];
  intervalMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

/** `healthcheck:` → a command, or `undefined` when it is disabled (`disable: true`, `test: [NONE]`). */
export function parseHealthcheck(value: unknown): Parsed<ComposeHealthcheck | undefined> {
  if (!isRecord(value)) return { ok: false, problem: 'expected a map with `test`' };
  if (value.disable === true) return { ok: true, value: undefined };
  const test = value.test;
  let command: string | string[];
  if (typeof test === 'string') command = test;
  else if (Array.isArray(test) && test.length > 0) {
    const [kind, ...rest] = test.map(String);
    if (kind === 'NONE') return { ok: true, value: undefined };
    if (kind === 'CMD' && rest.length > 0) command = rest;
    else if (kind === 'CMD-SHELL' && rest.length > 0) command = rest.join(' ');
    else
      return { ok: false, problem: `test \`${JSON.stringify(test)}\` starts with neither CMD nor CMD-SHELL` };
  } else return { ok: false, problem: 'has no `test`' };
  const interval = durationMs(value.interval);
  const startPeriod = durationMs(value.start_period);
  return {
    ok: true,
    value: {
      command,
      ...(interval === undefined ? {} : { intervalMs: interval }),
      ...(typeof value.retries === 'number' ? { retries: value.retries } : {}),
      ...(startPeriod === undefined ? {} : { startPeriodMs: startPeriod }),
    },
  };
}
