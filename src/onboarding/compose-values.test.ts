import { describe, expect, it } from 'vitest';
import {
  devenvDuration,
  durationMs,
  parseDependsOn,
  parseEnvironment,
  parseHealthcheck,
  parseMount,
  parsePort,
  splitShellWords,
} from './compose-values.js';

describe('parsePort', () => {
  it.each([
    [3000, { container: 3000, protocol: 'tcp' }],
    ['3000', { container: 3000, protocol: 'tcp' }],
    ['8080:80', { container: 80, host: 8080, protocol: 'tcp' }],
    ['127.0.0.1:8080:80', { container: 80, host: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }],
    ['127.0.0.1::80', { container: 80, hostIp: '127.0.0.1', protocol: 'tcp' }],
    ['5353:53/udp', { container: 53, host: 5353, protocol: 'udp' }],
    [
      { target: 7700, published: 7701 },
      { container: 7700, host: 7701, protocol: 'tcp' },
    ],
    [
      { target: 80, published: '8080', protocol: 'udp', name: 'web' },
      { container: 80, host: 8080, protocol: 'udp', name: 'web' },
    ],
    [{ target: 80 }, { container: 80, protocol: 'tcp' }],
  ])('%j', (entry, expected) => {
    expect(parsePort(entry)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['3000-3005:3000-3005', 'port range'],
    [{ target: 80, published: '8000-8010' }, 'port range'],
    ['80/sctp', 'protocol'],
    ['http', 'not a port mapping'],
    ['99999', 'not a port mapping'],
  ])('refuses %j', (entry, problem) => {
    const parsed = parsePort(entry);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});

describe('parseEnvironment', () => {
  it('reads a list, with bare names passed through', () => {
    const parsed = parseEnvironment(['A=1', 'B=x=y', 'C', 'D=']);
    expect(parsed.ok && [...parsed.value]).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['C', undefined],
      ['D', ''],
    ]);
  });

  it('reads a map, numbers and booleans as strings, empty values as pass-through', () => {
    const parsed = parseEnvironment({ A: 1, B: true, C: null, D: 'text' });
    expect(parsed.ok && [...parsed.value]).toEqual([
      ['A', '1'],
      ['B', 'true'],
      ['C', undefined],
      ['D', 'text'],
    ]);
  });

  it('refuses anything else', () => {
    expect(parseEnvironment('A=1').ok).toBe(false);
  });
});

describe('parseDependsOn', () => {
  it('reads the list form as service_started', () => {
    const parsed = parseDependsOn(['db', 'cache']);
    expect(parsed.ok && parsed.value.map((d) => [d.name, d.condition, d.fromList])).toEqual([
      ['db', 'service_started', true],
      ['cache', 'service_started', true],
    ]);
  });

  it('reads the map form with conditions, required and restart', () => {
    const parsed = parseDependsOn({
      db: { condition: 'service_healthy', restart: true },
      migrate: { condition: 'service_completed_successfully' },
      cache: { required: false },
    });
    expect(parsed.ok && parsed.value.map((d) => [d.name, d.condition, d.required, d.restart])).toEqual([
      ['db', 'service_healthy', true, true],
      ['migrate', 'service_completed_successfully', true, false],
      ['cache', 'service_started', false, false],
    ]);
  });

  it('refuses an unknown condition', () => {
    expect(parseDependsOn({ db: { condition: 'service_ready' } }).ok).toBe(false);
  });
});

describe('parseHealthcheck', () => {
  it('a string test runs through a shell', () => {
    expect(parseHealthcheck({ test: 'curl -f http://localhost/' })).toEqual({
      ok: true,
      value: { command: 'curl -f http://localhost/' },
    });
  });

  it('CMD is an exact argv, CMD-SHELL a shell line', () => {
    expect(parseHealthcheck({ test: ['CMD', 'redis-cli', 'ping'] })).toEqual({
      ok: true,
      value: { command: ['redis-cli', 'ping'] },
    });
    expect(
      parseHealthcheck({
        test: ['CMD-SHELL', 'pg_isready -U postgres'],
        interval: '5s',
        retries: 5,
        start_period: '1m30s',
      }),
    ).toEqual({
      ok: true,
      value: { command: 'pg_isready -U postgres', intervalMs: 5000, retries: 5, startPeriodMs: 90_000 },
    });
  });

  it('NONE and disable turn it off', () => {
    expect(parseHealthcheck({ test: ['NONE'] })).toEqual({ ok: true, value: undefined });
    expect(parseHealthcheck({ disable: true })).toEqual({ ok: true, value: undefined });
  });

  it('refuses a test without CMD/CMD-SHELL', () => {
    expect(parseHealthcheck({ test: ['curl', 'x'] }).ok).toBe(false);
  });
});

describe('durations', () => {
  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['500ms', 500],
    ['2h', 7_200_000],
  ])('%s is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('refuses what Go would not read', () => {
    expect(durationMs('10 seconds')).toBeUndefined();
  });

  it('writes whole seconds, else milliseconds', () => {
    expect(devenvDuration(5000)).toBe('5s');
    expect(devenvDuration(1500)).toBe('1500ms');
  });
});

describe('parseMount', () => {
  it.each([
    [
      'pgdata:/var/lib/postgresql/data',
      { kind: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
    ],
    ['./src:/app/src:ro', { kind: 'bind', source: './src', target: '/app/src', readOnly: true }],
    [
      '/var/run/docker.sock:/var/run/docker.sock',
      { kind: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
    ],
    ['/app/node_modules', { kind: 'anonymous', target: '/app/node_modules' }],
    [
      { type: 'volume', source: 'data', target: '/data' },
      { kind: 'volume', source: 'data', target: '/data', readOnly: false },
    ],
    [
      { type: 'bind', source: '.', target: '/app', read_only: true },
      { kind: 'bind', source: '.', target: '/app', readOnly: true },
    ],
    [
      { type: 'tmpfs', target: '/tmp' },
      { kind: 'tmpfs', target: '/tmp' },
    ],
  ])('%j', (entry, expected) => {
    expect(parseMount(entry)).toEqual({ ok: true, value: expected });
  });
});

describe('splitShellWords', () => {
  it('splits like a shell, honouring quotes and escapes', () => {
    expect(splitShellWords(`server /data --console-address ":9001"`)).toEqual([
      'server',
      '/data',
      '--console-address',
      ':9001',
    ]);
    expect(splitShellWords(`sh -c 'echo "a b" && sleep 1'`)).toEqual(['sh', '-c', 'echo "a b" && sleep 1']);
    expect(splitShellWords('a\\ b c')).toEqual(['a b', 'c']);
    expect(splitShellWords('"" x')).toEqual(['', 'x']);
  });

  it('gives up on an unbalanced quote', () => {
    expect(splitShellWords(`echo "oops`)).toBeUndefined();
  });
});
