import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { mapContainer } from './map-container.js';

// The parts of an inspect answer (API 1.41) that the mapping reads.
function inspected(overrides: { State?: object; Ports?: object }): Docker.ContainerInspectInfo {
  return {
    Id: 'abc123',
    Name: '/devenv-shop-main-db',
    Created: '2026-05-01T10:00:00.000000001Z',
    Image: 'sha256:feed',
    Config: { Image: 'postgres:17', Labels: { 'devenv.name': 'db' } },
    State: { Status: 'running', ExitCode: 0, StartedAt: '2026-05-01T10:00:01Z', ...overrides.State },
    NetworkSettings: { Ports: overrides.Ports ?? {} },
  } as unknown as Docker.ContainerInspectInfo;
}

describe('mapContainer', () => {
  it('reads a running, healthy container with its bound ports', () => {
    const observed = mapContainer(
      inspected({
        State: { Health: { Status: 'healthy' } },
        Ports: {
          '5432/tcp': [
            { HostIp: '127.0.0.1', HostPort: '49153' },
            { HostIp: '::1', HostPort: '49153' },
          ],
          '9999/udp': null,
        },
      }),
    );
    expect(observed).toEqual({
      id: 'abc123',
      name: 'devenv-shop-main-db',
      image: 'postgres:17',
      imageId: 'sha256:feed',
      labels: { 'devenv.name': 'db' },
      state: 'running',
      health: 'healthy',
      exitCode: undefined,
      ports: [
        { container: 5432, protocol: 'tcp', hostIp: '127.0.0.1', host: 49153 },
        { container: 5432, protocol: 'tcp', hostIp: '::1', host: 49153 },
      ],
      createdAt: new Date('2026-05-01T10:00:00.000Z'),
      startedAt: new Date('2026-05-01T10:00:01Z'),
    });
  });

  it('reads an exit code only once the container exited, and no start time when it never started', () => {
    expect(mapContainer(inspected({ State: { Status: 'exited', ExitCode: 137 } })).exitCode).toBe(137);
    const created = mapContainer(
      inspected({ State: { Status: 'created', StartedAt: '0001-01-01T00:00:00Z' } }),
    );
    expect(created).toMatchObject({
      state: 'created',
      health: 'none',
      exitCode: undefined,
      startedAt: undefined,
    });
  });
});
