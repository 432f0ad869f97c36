import { describe, expect, it } from 'vitest';
import { parsePort } from './parse-port.js';

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
    // A host range: Docker picks a free host port from it; the container port is what counts.
    [
      { target: 8000, published: '8000-8001' },
      { container: 8000, hostRange: '8000-8001', protocol: 'tcp' },
    ],
    ['8000-8001:8000', { container: 8000, hostRange: '8000-8001', protocol: 'tcp' }],
    [
      '127.0.0.1:9000-9010:80/udp',
      { container: 80, hostRange: '9000-9010', hostIp: '127.0.0.1', protocol: 'udp' },
    ],
  ])('%j', (entry, expected) => {
    expect(parsePort(entry)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['3000-3005:3000-3005', 'port range'],
    ['3000-3005', 'port range'],
    ['8000-99999:80', 'not a port mapping'],
    [{ target: 80, published: '8010-8000' }, 'not a port mapping'],
    ['80/sctp', 'protocol'],
    ['http', 'not a port mapping'],
    ['99999', 'not a port mapping'],
  ])('refuses %j', (entry, problem) => {
    const parsed = parsePort(entry);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});
