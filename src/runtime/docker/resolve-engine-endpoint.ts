import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { ExternalError } from '../../errors/devenv-error.js';
import { RuntimeErrorCode } from '../runtime-errors.js';

/** The filesystem and environment the resolution reads, injected so it is testable without a home directory. */
export interface EndpointSources {
  env: NodeJS.ProcessEnv;
  home: string;
  /** File contents, or undefined when the file does not exist. */
  readFile(path: string): Buffer | undefined;
}

/** Where the engine is and how dockerode reaches it. */
export interface EngineEndpoint {
  /** As the user would write it: `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host`. */
  url: string;
  /** Where it came from, for `doctor` and error messages. */
  source: 'DOCKER_HOST' | `context ${string}` | 'default';
  options: Docker.DockerOptions;
}

const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

/**
 * Finds the engine the way the docker CLI does: `DOCKER_HOST`, else the context named by
 * `DOCKER_CONTEXT` or by `currentContext` in the CLI's config.json, else the default socket.
 */
export function resolveEngineEndpoint(sources: EndpointSources): EngineEndpoint {
  const { env } = sources;
  const configDir = env.DOCKER_CONFIG ?? join(sources.home, '.docker');
  if (env.DOCKER_HOST) {
    const tls = env.DOCKER_TLS_VERIFY === '1' || new URL(withScheme(env.DOCKER_HOST)).port === '2376';
    const certDir = env.DOCKER_CERT_PATH ?? configDir;
    return endpointFor(env.DOCKER_HOST, 'DOCKER_HOST', tls ? certDir : undefined, sources);
  }
  const context = env.DOCKER_CONTEXT ?? currentContext(configDir, sources);
  if (context && context !== 'default') {
    const id = createHash('sha256').update(context).digest('hex');
    const meta = sources.readFile(join(configDir, 'contexts', 'meta', id, 'meta.json'));
    const host = meta ? contextHost(meta) : undefined;
    if (!host) {
      throw new ExternalError(
        RuntimeErrorCode.engineUnreachable,
        `Docker context "${context}" does not exist.`,
        {
          hint: 'List contexts with `docker context ls`; select one with `docker context use NAME`.',
        },
      );
    }
    const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
    const hasTls = sources.readFile(join(tlsDir, 'ca.pem')) !== undefined;
    return endpointFor(host, `context ${context}`, hasTls ? tlsDir : undefined, sources);
  }
  return endpointFor(DEFAULT_SOCKET, 'default', undefined, sources);
}

function endpointFor(
  url: string,
  source: EngineEndpoint['source'],
  certDir: string | undefined,
  sources: EndpointSources,
): EngineEndpoint {
  if (url.startsWith('unix://') || url.startsWith('npipe://')) {
    return { url, source, options: { socketPath: url.replace(/^(unix|npipe):\/\//, '') } };
  }
  const parsed = new URL(withScheme(url));
  if (parsed.protocol === 'ssh:') {
    const options: Docker.DockerOptions = { protocol: 'ssh', host: parsed.hostname, port: parsed.port || 22 };
    if (parsed.username) options.username = parsed.username;
    const agent = sources.env.SSH_AUTH_SOCK;
    if (agent) options.sshOptions = { agent };
    return { url, source, options };
  }
  const options: Docker.DockerOptions = {
    protocol: certDir ? 'https' : 'http',
    host: parsed.hostname,
    port: parsed.port || (certDir ? 2376 : 2375),
  };
  if (certDir) {
    // The CLI's layout: ca.pem, cert.pem and key.pem in one directory; a missing file means "not used".
    const [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map((file) =>
      sources.readFile(join(certDir, file)),
    );
    if (ca) options.ca = ca;
    if (cert) options.cert = cert;
    if (key) options.key = key;
  }
  return { url, source, options };
}

// DOCKER_HOST may be written `host:port`; the CLI reads that as tcp.
function withScheme(url: string): string {
  return url.includes('://') ? url : `tcp://${url}`;
}

function currentContext(configDir: string, sources: EndpointSources): string | undefined {
  const config = sources.readFile(join(configDir, 'config.json'));
  if (!config) return undefined;
  const parsed: unknown = JSON.parse(config.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('currentContext' in parsed)) return undefined;
  return typeof parsed.currentContext === 'string' ? parsed.currentContext : undefined;
}

function contextHost(meta: Buffer): string | undefined {
  const parsed = JSON.parse(meta.toString('utf8')) as { Endpoints?: { docker?: { Host?: unknown } } };
  const host = parsed.Endpoints?.docker?.Host;
  return typeof host === 'string' ? host : undefined;
}
