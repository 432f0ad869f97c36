// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { type AddressTarget, rewriteAddresses } from './rewrite-addresses.js';

function target(host: string, name = host, urls: string[] = []): AddressTarget {
  return { host, name, urls, brokers: false, portRef: () => `\${${name}.port}` };
}

describe('rewriteAddresses', () => {
  it('rewrites host:port inside a URL whose scheme is the service name, and leaves no warning', () => {
    const redis = target('redis', 'redis', ['redis://redis:6379']);
    expect(rewriteAddresses('REDIS_URL', 'redis://redis:6379/0', [redis])).toEqual({
      value: 'redis://${redis.host}:${redis.port}/0',
      changed: true,
      leftover: [],
    });
  });

  it('does not count references the value already has, nor a URL scheme, as the hostname', () => {
    const redis = target('redis');
    const db = target('db');
    for (const value of ['redis://${redis.host}:${redis.port}/0', '${redis.url}', 'redis:', 'x@${db.host}'])
      expect(rewriteAddresses('URL', value, [redis, db]).leftover).toEqual([]);
  });

  it('still warns about a hostname left in a value', () => {
    const redis = target('redis');
    const db = target('db');
    expect(rewriteAddresses('URL', 'redis://redis/0', [redis]).leftover).toEqual(['redis']);
    expect(rewriteAddresses('URL', 'http://db/metrics', [db]).leftover).toEqual(['db']);
    expect(rewriteAddresses('URL', 'postgres://u:p@db/app', [db]).leftover).toEqual(['db']);
    expect(rewriteAddresses('DB_HOST', 'db', [db]).value).toBe('${db.host}');
    expect(rewriteAddresses('MODE', 'db', [db]).leftover).toEqual([]);
  });
});
