import { describe, expect, it } from 'vitest';
import { imageNotFoundError, isDockerHubRef, nameConflictError } from './runtime-errors.js';

describe('imageNotFoundError', () => {
  const mirrors = ['http://127.0.0.1:5000/'];

  it('names the image and the mirrors consulted for a Docker Hub reference', () => {
    expect(imageNotFoundError('redis:99', mirrors)).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      kind: 'external',
      message: `Image "redis:99" was not found in the engine's registry mirrors (http://127.0.0.1:5000/) nor in the registry it names.`,
    });
  });

  it('does not claim mirrors for another registry, and says when the upstream was unreachable', () => {
    expect(imageNotFoundError('ghcr.io/o/app:1', mirrors).message).toBe(
      'Image "ghcr.io/o/app:1" was not found in the registry it names.',
    );
    expect(imageNotFoundError('team/app:1', mirrors, undefined, 'no such host').message).toBe(
      `Image "team/app:1" was not found in the engine's registry mirrors (http://127.0.0.1:5000/), and the registry it names could not be reached: no such host`,
    );
  });
});

describe('isDockerHubRef', () => {
  it.each([
    ['redis', true],
    ['bitnami/redis:7', true],
    ['docker.io/library/redis', true],
    ['127.0.0.1:5000/library/redis', false],
    ['localhost/app', false],
    ['ghcr.io/o/app', false],
  ])('%s', (ref, hub) => {
    expect(isDockerHubRef(ref)).toBe(hub);
  });
});

describe('nameConflictError', () => {
  it('says whether the existing object belongs to another environment', () => {
    expect(nameConflictError('container', 'db').message).toBe('A container named "db" already exists.');
    expect(nameConflictError('network', 'n', undefined, true).message).toBe(
      'A network named "n" already exists and does not belong to this devenv environment.',
    );
  });
});
