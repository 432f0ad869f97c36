import { describe, expect, it } from 'vitest';
import { parsePortBusy } from './find-port-holder.js';
import { toLabelFilters } from './label-filters.js';
import { splitImageRef } from './split-image-ref.js';
import { toEngineEvent } from './to-engine-event.js';
import { toPullProgress } from './to-pull-progress.js';

describe('splitImageRef', () => {
  it.each([
    ['redis', 'redis', 'latest'],
    ['redis:8', 'redis', '8'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app', 'latest'],
    ['127.0.0.1:5000/team/app:1.2', '127.0.0.1:5000/team/app', '1.2'],
    ['ghcr.io/o/app@sha256:abc', 'ghcr.io/o/app', 'sha256:abc'],
  ])('%s', (ref, repository, tagOrDigest) => {
    expect(splitImageRef(ref)).toEqual({ repository, tagOrDigest });
  });
});

describe('toPullProgress', () => {
  it('reads per-layer byte progress', () => {
    const progress = toPullProgress('redis:8', {
      status: 'Downloading',
      id: 'a2abf6c4d29d',
      progressDetail: { current: 1024, total: 4096 },
    });
    expect(progress).toEqual({
      ref: 'redis:8',
      layer: 'a2abf6c4d29d',
      phase: 'downloading',
      status: 'Downloading',
      current: 1024,
      total: 4096,
    });
  });

  it('does not take the tag of an image-wide line for a layer', () => {
    expect(toPullProgress('redis:8', { status: 'Pulling from library/redis', id: '8' })).toMatchObject({
      layer: undefined,
      phase: 'info',
    });
    expect(toPullProgress('redis:8', { status: 'Already exists', id: 'x1' }).phase).toBe('exists');
  });
});

describe('toEngineEvent', () => {
  const actor = { ID: 'c1', Attributes: { name: 'db', image: 'postgres:17', 'devenv.name': 'db' } };

  it('splits a health status and separates labels from engine attributes', () => {
    expect(
      toEngineEvent({ Type: 'container', Action: 'health_status: healthy', Actor: actor, timeNano: 1.5e18 }),
    ).toEqual({
      type: 'container',
      action: 'health_status',
      id: 'c1',
      name: 'db',
      labels: { 'devenv.name': 'db' },
      exitCode: undefined,
      health: 'healthy',
      time: new Date(1.5e12),
    });
  });

  it('reads the exit code of a die and ignores other object types', () => {
    const die = toEngineEvent({
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'c1', Attributes: { ...actor.Attributes, exitCode: '137' } },
      time: 10,
    });
    expect(die).toMatchObject({ action: 'die', exitCode: 137, time: new Date(10_000) });
    expect(toEngineEvent({ Type: 'network', Action: 'connect', Actor: { ID: 'n' } })).toBeUndefined();
  });
});

describe('parsePortBusy', () => {
  it.each([
    [
      'driver failed programming external connectivity on endpoint x (abc): Bind for 127.0.0.1:6379 failed: port is already allocated',
      6379,
    ],
    ['Error starting userland proxy: listen tcp4 0.0.0.0:5432: bind: address already in use', 5432],
    ['Error starting userland proxy: listen tcp6 [::1]:8080: bind: address already in use', 8080],
    ['address already in use', undefined],
  ])('%s', (message, port) => {
    expect(parsePortBusy(message)).toEqual({ busy: true, port });
  });

  it('does not see a busy port in other failures', () => {
    expect(parsePortBusy('OCI runtime create failed').busy).toBe(false);
  });
});

describe('toLabelFilters', () => {
  it('asks for a value or just the presence of a label', () => {
    expect(toLabelFilters({ 'devenv.project': 'shop', 'devenv.env': true })).toEqual([
      'devenv.project=shop',
      'devenv.env',
    ]);
  });
});
