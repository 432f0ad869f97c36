/**
 * Compose allows most fields in two or three shapes (short and long port syntax, env as a list or a map,
 * depends_on as a list or a map, healthcheck tests as a string or an exec form). These functions turn each
 * into one shape; what they cannot read comes back as a `problem` for the caller to report by key.
 */

export interface ComposePort {
  container: number;
  host?: number;
  protocol: 'tcp' | 'udp';
  hostIp?: string;
  name?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const SHORT_PORT = /^(?:(\[[^\]]*\]|[^:[\]]+):)??(?:([\d-]*):)?([\d-]+)$/;

/** `"3000"`, `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `3000`, or `{target, published, host_ip, protocol, name}`. */
export function parsePort(entry: unknown): Parsed<ComposePort> {
  if (typeof entry === 'number') return checkPort({ container: entry, protocol: 'tcp' }, String(entry));
  if (typeof entry === 'string') {
    const [spec = '', protocolText = 'tcp'] = entry.split('/');
    const protocol = protocolText === 'udp' ? 'udp' : protocolText === 'tcp' ? 'tcp' : undefined;
    if (protocol === undefined)
      return { ok: false, problem: `protocol \`${protocolText}\` is not tcp or udp` };
    const match = SHORT_PORT.exec(spec);
    if (!match) return { ok: false, problem: `\`${entry}\` is not a port mapping` };
    const [, hostIp, host, container = ''] = match;
    if (container.includes('-') || host?.includes('-'))
      return { ok: false, problem: `port range \`${entry}\` is not supported: list each port` };
    return checkPort(
      {
        container: Number(container),
        protocol,
        ...(host ? { host: Number(host) } : {}),
        ...(hostIp ? { hostIp: hostIp.replace(/^\[|\]$/g, '') } : {}),
      },
      entry,
    );
  }
  if (isRecord(entry)) {
    const target = Number(entry.target);
    const published = entry.published === undefined ? undefined : String(entry.published);
    if (published?.includes('-'))
      return { ok: false, problem: `port range \`${published}\` is not supported: list each port` };
    const protocol = entry.protocol === 'udp' ? 'udp' : 'tcp';
    return checkPort(
      {
        container: target,
        protocol,
        ...(published ? { host: Number(published) } : {}),
        ...(typeof entry.host_ip === 'string' ? { hostIp: entry.host_ip } : {}),
        ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
      },
      JSON.stringify(entry),
    );
  }
  return { ok: false, problem: `\`${String(entry)}\` is not a port` };
}

function checkPort(port: ComposePort, written: string): Parsed<ComposePort> {
  const valid = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 1 && n <= 65535);
  if (!valid(port.container) || !valid(port.host))
    return { ok: false, problem: `\`${written}\` is not a port mapping` };
  return { ok: true, value: port };
}

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

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Compose durations are Go's: `10s`, `1m30s`, `1.5s`, `500ms`. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1e6; // a bare number is nanoseconds
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)];
  if (parts.map((p) => p[0]).join('') !== value.trim()) return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_MS[unit ?? 's'] ?? 0), 0);
}

/** devenv durations are a whole number and one unit. */
export function devenvDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}

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

/**
 * Compose runs a string `command:` without a shell, split into words the way a shell would (quotes
 * group, a backslash escapes). Returns `undefined` for an unbalanced quote.
 */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
