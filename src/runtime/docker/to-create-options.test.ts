import { describe, expect, it } from 'vitest';
import { toCreateOptions } from './to-create-options.js';

describe('toCreateOptions', () => {
  it('maps a full spec to the engine’s create request', () => {
    const options = toCreateOptions({
      name: 'devenv-shop-main-db',
      image: 'postgres:17',
      env: { POSTGRES_PASSWORD: 'dev', EMPTY: '' },
      cmd: ['postgres', '-c', 'fsync=off'],
      entrypoint: ['docker-entrypoint.sh'],
      labels: { 'devenv.project': 'shop', 'devenv.name': 'db' },
      network: { name: 'devenv-shop-main', aliases: ['db', 'postgres'] },
      ports: [
        { container: 5432 },
        { container: 5432, host: 15432, hostIp: '::1' },
        { container: 53, host: 5353, protocol: 'udp', hostIp: '0.0.0.0' },
      ],
      mounts: [
        { kind: 'volume', volume: 'devenv-shop-main-db-data', target: '/var/lib/postgresql/data' },
        { kind: 'bind', hostPath: '/repo/seed', target: '/seed', readOnly: true },
      ],
      healthcheck: { test: ['CMD-SHELL', 'pg_isready'], intervalMs: 500, retries: 30 },
      stopSignal: 'SIGINT',
      stopTimeoutSec: 20,
      workingDir: '/work',
      user: '999:999',
    });
    expect(options).toEqual({
      name: 'devenv-shop-main-db',
      Image: 'postgres:17',
      Env: ['POSTGRES_PASSWORD=dev', 'EMPTY='],
      Cmd: ['postgres', '-c', 'fsync=off'],
      Entrypoint: ['docker-entrypoint.sh'],
      Labels: { 'devenv.project': 'shop', 'devenv.name': 'db' },
      ExposedPorts: { '5432/tcp': {}, '53/udp': {} },
      HostConfig: {
        NetworkMode: 'devenv-shop-main',
        PortBindings: {
          '5432/tcp': [
            { HostIp: '127.0.0.1', HostPort: '' },
            { HostIp: '::1', HostPort: '15432' },
          ],
          '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }],
        },
        Mounts: [
          {
            Type: 'volume',
            Source: 'devenv-shop-main-db-data',
            Target: '/var/lib/postgresql/data',
            ReadOnly: false,
          },
          { Type: 'bind', Source: '/repo/seed', Target: '/seed', ReadOnly: true },
        ],
      },
      NetworkingConfig: { EndpointsConfig: { 'devenv-shop-main': { Aliases: ['db', 'postgres'] } } },
      Healthcheck: {
        Test: ['CMD-SHELL', 'pg_isready'],
        Interval: 500_000_000,
        Timeout: 0,
        Retries: 30,
        StartPeriod: 0,
      },
      StopSignal: 'SIGINT',
      StopTimeout: 20,
      WorkingDir: '/work',
      User: '999:999',
    });
  });

  it('leaves the image’s defaults alone for a minimal spec', () => {
    expect(toCreateOptions({ name: 'c', image: 'redis:8', labels: {} })).toEqual({
      name: 'c',
      Image: 'redis:8',
      Labels: {},
      Env: [],
      ExposedPorts: {},
      HostConfig: { PortBindings: {}, Mounts: [] },
    });
  });
});
