import { isRecord } from './is-record.js';
import type { Parsed } from './parsed.js';

export type ComposeMount =
  | { kind: 'volume'; source: string; target: string; readOnly: boolean }
  | { kind: 'bind'; source: string; target: string; readOnly: boolean }
  | { kind: 'anonymous'; target: string }
  | { kind: 'tmpfs'; target: string };

/** `name:/path[:ro]`, `./src:/app/src`, `/data`, or `{type, source, target, read_only}`. */
export function parseMount(entry: unknown): Parsed<ComposeMount> {
  if (typeof entry === 'string') {
    const [source = '', target, mode] = entry.split(':');
    if (target === undefined) return { ok: true, value: { kind: 'anonymous', target: source } };
    const readOnly = mode?.split(',').includes('ro') === true;
    const bind = /^[./~]/.test(source) || source.includes('/');
    return { ok: true, value: { kind: bind ? 'bind' : 'volume', source, target, readOnly } };
  }
  if (isRecord(entry) && typeof entry.target === 'string') {
    const type = entry.type ?? 'volume';
    const readOnly = entry.read_only === true;
    const source = typeof entry.source === 'string' ? entry.source : undefined;
    if (type === 'tmpfs') return { ok: true, value: { kind: 'tmpfs', target: entry.target } };
    if (type === 'bind' && source)
      return { ok: true, value: { kind: 'bind', source, target: entry.target, readOnly } };
    if (type === 'volume' && source)
      return { ok: true, value: { kind: 'volume', source, target: entry.target, readOnly } };
    if (type === 'volume') return { ok: true, value: { kind: 'anonymous', target: entry.target } };
    return { ok: false, problem: `mount type \`${String(type)}\` is not supported` };
  }
  return { ok: false, problem: `\`${JSON.stringify(entry)}\` is not a mount` };
}
