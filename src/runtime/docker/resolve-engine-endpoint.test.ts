import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveEngineEndpoint } from './resolve-engine-endpoint.js';

const HOME = '/home/dev';

function sources(env: NodeJS.ProcessEnv, files: Record<string, string> = {}) {
  return {
    env,
    home: HOME,
    readFile: (path: string) => (path in files ? Buffer.from(files[path] ?? '') : undefined),
  };
}

function contextFiles(name: string, host: string, configDir = `${HOME}/.docker`) {
  const id = createHash('sha256').update(name).digest('hex');
  return {
    [`${configDir}/contexts/meta/${id}/meta.json`]: JSON.stringify({
      Name: name,
      Endpoints: { docker: { Host: host } },
    }),
  };
}

describe('resolveEngineEndpoint', () => {
  it('uses the default socket when nothing says otherwise', () => {
    expect(resolveEngineEndpoint(sources({}))).toEqual({
      url: 'unix:///var/run/docker.sock',
      source: 'default',
      options: { socketPath: '/var/run/docker.sock' },
    });
  });

  it('prefers DOCKER_HOST, plain or with TLS', () => {
    expect(resolveEngineEndpoint(sources({ DOCKER_HOST: 'tcp://build:2375' })).options).toEqual({
      protocol: 'http',
      host: 'build',
      port: '2375',
    });
    const tls = resolveEngineEndpoint(
      sources(
        { DOCKER_HOST: 'build:2376', DOCKER_CERT_PATH: '/certs' },
        { '/certs/ca.pem': 'CA', '/certs/key.pem': 'K' },
      ),
    );
    expect(tls.options).toMatchObject({ protocol: 'https', host: 'build', port: '2376' });
    expect(tls.options.ca?.toString()).toBe('CA');
    expect(tls.options.cert).toBeUndefined();
  });

  it('reaches an ssh host with the agent', () => {
    const endpoint = resolveEngineEndpoint(
      sources({ DOCKER_HOST: 'ssh://ci@preview-1', SSH_AUTH_SOCK: '/agent' }),
    );
    expect(endpoint.options).toEqual({
      protocol: 'ssh',
      host: 'preview-1',
      port: 22,
      username: 'ci',
      sshOptions: { agent: '/agent' },
    });
  });

  it('follows the current context of the docker CLI, or DOCKER_CONTEXT', () => {
    const files = {
      [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'colima' }),
      ...contextFiles('colima', `unix://${HOME}/.colima/docker.sock`),
      ...contextFiles('remote', 'tcp://10.0.0.5:2375'),
    };
    expect(resolveEngineEndpoint(sources({}, files))).toMatchObject({
      source: 'context colima',
      options: { socketPath: `${HOME}/.colima/docker.sock` },
    });
    expect(resolveEngineEndpoint(sources({ DOCKER_CONTEXT: 'remote' }, files))).toMatchObject({
      url: 'tcp://10.0.0.5:2375',
      options: { host: '10.0.0.5', protocol: 'http' },
    });
    expect(resolveEngineEndpoint(sources({ DOCKER_CONTEXT: 'default' }, files)).source).toBe('default');
  });

  it('reads DOCKER_CONFIG and fails clearly on an unknown context', () => {
    const files = contextFiles('ci', 'unix:///run/ci.sock', '/etc/docker-cli');
    expect(
      resolveEngineEndpoint(sources({ DOCKER_CONFIG: '/etc/docker-cli', DOCKER_CONTEXT: 'ci' }, files)).url,
    ).toBe('unix:///run/ci.sock');
    expect(() => resolveEngineEndpoint(sources({ DOCKER_CONTEXT: 'gone' }))).toThrow(
      expect.objectContaining({
        code: 'ENGINE_UNREACHABLE',
        message: 'Docker context "gone" does not exist.',
      }),
    );
  });
});
