import { describe, expect, it } from 'vitest';
import type { Readiness, ReadinessProbe } from '../model/readiness.js';
import { describeWait, shellCommand, waitSpecFor } from './wait-plan.js';

const ready = (probe: ReadinessProbe, timeoutMs = 30_000): Readiness => ({
  probe,
  intervalMs: 1000,
  timeoutMs,
});

describe('waitSpecFor', () => {
  it('maps each readiness probe to the testcontainers strategy of the same meaning, keeping the timeout', () => {
    expect(waitSpecFor(ready({ kind: 'command', command: ['redis-cli', 'ping'] }), true)).toEqual({
      plan: { kind: 'command', shell: 'redis-cli ping' },
      timeoutMs: 30_000,
    });
    expect(waitSpecFor(ready({ kind: 'tcp', port: 5432 }), true).plan).toEqual({ kind: 'ports' });
    expect(
      waitSpecFor(ready({ kind: 'http', path: '/health', port: 8080, status: undefined }), true).plan,
    ).toEqual({ kind: 'http', path: '/health', port: 8080, status: undefined });
    expect(waitSpecFor(ready({ kind: 'log', pattern: 'Kafka Server started' }, 120_000), true)).toEqual({
      plan: { kind: 'log', pattern: 'Kafka Server started' },
      timeoutMs: 120_000,
    });
  });

  it('waits for the ports of a dependency without `ready:`, and for nothing when it has none', () => {
    expect(waitSpecFor(undefined, true)).toEqual({ plan: { kind: 'ports' }, timeoutMs: 60_000 });
    expect(waitSpecFor(undefined, false).plan).toEqual({ kind: 'running' });
  });
});

describe('shellCommand', () => {
  it("gives a devenv.yaml shell string back as written, so the container's variables expand", () => {
    expect(shellCommand(['sh', '-c', 'pg_isready -q -U "$POSTGRES_USER"'])).toBe(
      'pg_isready -q -U "$POSTGRES_USER"',
    );
  });

  it('quotes the words of an argv that need it', () => {
    expect(shellCommand(['mysqladmin', 'ping', '-p$secret', "it's"])).toBe(
      `mysqladmin ping '-p$secret' 'it'\\''s'`,
    );
  });
});

describe('describeWait', () => {
  it('says what was waited for, in the words of an error message', () => {
    expect(describeWait({ kind: 'http', path: '/ready', port: 80, status: undefined })).toBe(
      'HTTP /ready on port 80 to answer 2xx or 3xx',
    );
    expect(describeWait({ kind: 'command', shell: 'redis-cli ping' })).toBe(
      'the command `redis-cli ping` to succeed',
    );
  });
});
