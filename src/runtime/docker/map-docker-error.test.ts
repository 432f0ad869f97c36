import { describe, expect, it } from 'vitest';
import { ExternalError } from '../../errors/devenv-error.js';
import { nameConflictError } from '../runtime-errors.js';
import { engineMessage, mapDockerError } from './map-docker-error.js';

const context = { action: 'create container "db"', endpoint: 'unix:///var/run/docker.sock' };

/** An error shaped like docker-modem's for an HTTP failure. */
function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) - ${message}`), {
    statusCode,
    json: { message },
  });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
}

describe('mapDockerError', () => {
  it.each(['ECONNREFUSED', 'ENOENT', 'ECONNRESET'])('reads %s as an unreachable engine', (code) => {
    const error = mapDockerError(socketError(code), context);
    expect(error).toBeInstanceOf(ExternalError);
    expect(error).toMatchObject({ code: 'ENGINE_UNREACHABLE', hint: expect.stringContaining('DOCKER_HOST') });
    expect(error.message).toContain('unix:///var/run/docker.sock');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('says when the socket is there but not usable', () => {
    const error = mapDockerError(socketError('EACCES'), context);
    expect(error).toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      hint: expect.stringContaining('docker` group'),
    });
  });

  it('uses the call’s own meaning of 404 and 409', () => {
    const conflict = mapDockerError(httpError(409, 'Conflict. The container name "/db" is already in use'), {
      ...context,
      onConflict: (cause) => nameConflictError('container', 'db', cause),
    });
    expect(conflict).toMatchObject({ code: 'NAME_CONFLICT' });
  });

  it('passes anything else on as ENGINE_ERROR with the engine’s message', () => {
    const error = mapDockerError(httpError(500, 'something broke'), context);
    expect(error).toMatchObject({ code: 'ENGINE_ERROR' });
    expect(error.message).toBe('The Docker engine refused to create container "db": something broke');
    // Without a handler, a 409 is not guessed at.
    expect(mapDockerError(httpError(409, 'in use'), context)).toMatchObject({ code: 'ENGINE_ERROR' });
  });

  it('leaves devenv’s own errors alone', () => {
    const own = nameConflictError('network', 'n');
    expect(mapDockerError(own, context)).toBe(own);
  });
});

describe('engineMessage', () => {
  it('prefers the engine’s JSON body, then a text body, then the client message', () => {
    expect(engineMessage(httpError(500, 'from json'))).toBe('from json');
    expect(engineMessage(Object.assign(new Error('client'), { json: ' text body \n' }))).toBe('text body');
    expect(engineMessage(new Error('client'))).toBe('client');
    expect(
      engineMessage(new Error('(HTTP code 500) server error - Get "https://r/v2/": no such host ')),
    ).toBe('Get "https://r/v2/": no such host');
    expect(engineMessage('odd')).toBe('odd');
  });
});
