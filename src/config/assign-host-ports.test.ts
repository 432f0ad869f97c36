import { describe, expect, it } from 'vitest';
import { assignHostPorts, type PortRequest } from './assign-host-ports.js';
import { DERIVED_PORT_COUNT, DERIVED_PORT_MIN, derivedHostPort } from './derived-host-port.js';

const request = (entity: string, container: number | undefined, fixedHost?: number): PortRequest => ({
  entity,
  name: 'main',
  container,
  fixedHost,
  protocol: 'tcp',
});

describe('derivedHostPort', () => {
  it('is stable, in range, and differs per environment', () => {
    const a = derivedHostPort('shop', 'default', 'db', 5432);
    expect(derivedHostPort('shop', 'default', 'db', 5432)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(DERIVED_PORT_MIN);
    expect(a).toBeLessThan(DERIVED_PORT_MIN + DERIVED_PORT_COUNT);
    expect(derivedHostPort('shop', 'feature-x-12345678', 'db', 5432)).not.toBe(a);
  });
});

describe('assignHostPorts', () => {
  it('keeps fixed ports, applies overrides, derives the rest', () => {
    const ports = assignHostPorts(
      [request('db', 5432, 5432), request('cache', 6379), request('api', undefined)],
      {
        project: 'shop',
        env: 'default',
        overrides: { cache: { main: 26379 } },
      },
    );
    expect(ports.get('db')?.[0]).toMatchObject({ host: 5432, container: 5432, hostSource: 'fixed' });
    expect(ports.get('cache')?.[0]).toMatchObject({ host: 26379, container: 6379, hostSource: 'override' });
    const api = ports.get('api')?.[0];
    expect(api?.hostSource).toBe('derived');
    expect(api?.container).toBe(api?.host);
  });

  it('gives exact ports precedence over fixed ones (devenv/testing runs beside `devenv up`)', () => {
    const ports = assignHostPorts([request('db', 5432, 5432), request('cache', 6379)], {
      project: 'shop',
      env: 'default',
      exact: { db: { main: 41000 }, cache: { main: 41001 } },
    });
    expect(ports.get('db')?.[0]).toMatchObject({ host: 41000, container: 5432, hostSource: 'override' });
    expect(ports.get('cache')?.[0]).toMatchObject({ host: 41001, container: 6379, hostSource: 'override' });
  });

  it('steps a derived port over one already taken', () => {
    const clash = derivedHostPort('p', 'default', 'b', 80);
    const ports = assignHostPorts([request('a', 5432, clash), request('b', 80)], {
      project: 'p',
      env: 'default',
    });
    expect(ports.get('b')?.[0]?.host).toBe(
      clash + 1 === DERIVED_PORT_MIN + DERIVED_PORT_COUNT ? DERIVED_PORT_MIN : clash + 1,
    );
  });
});
