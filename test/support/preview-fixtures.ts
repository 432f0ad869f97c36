import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { previewServiceLabels, testRecord } from '../../src/gateway/gateway-test-fixtures.js';
import { type PreviewRecord, recordLabels } from '../../src/preview/preview-contract.js';
import { removeLabelled } from './docker.js';

/** The stand-in base image (glibc), into which the host's Node binary is mounted read-only. */
const BASE_IMAGE = 'devenv-test/debian-base:trixie';
const NODE_BINARY = '/root/.cache/devenv/node24/node_modules/node/bin/node';

/**
 * Answers `<name> <method> <url>`, with the request headers it received in `x-seen`; accepts
 * WebSocket upgrades and sends every frame back as it came.
 */
const SERVER = `const server = require('http').createServer((req, res) => {
  res.setHeader('x-seen', JSON.stringify(req.headers));
  res.end(process.env.NAME + ' ' + req.method + ' ' + req.url);
});
server.on('upgrade', (req, socket) => {
  const accept = require('crypto').createHash('sha1')
    .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
  socket.pipe(socket);
});
server.listen(3000, () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));`;

/**
 * Previews made directly on the engine, as `devenv preview up` would leave them (record volume plus
 * labelled service containers), so the gateway's tests do not depend on the preview commands.
 * Everything carries a project name unique to the test.
 */
export class FakePreviews {
  readonly project = `gw-${randomBytes(4).toString('hex')}`;
  constructor(
    readonly docker: Docker,
    readonly domain: string,
  ) {}

  record(
    branch: string,
    overrides: Partial<PreviewRecord> & { serviceNames?: readonly string[] } = {},
  ): PreviewRecord {
    const now = new Date();
    return testRecord(this.project, branch, {
      domain: this.domain,
      commit: 'c0ffee1',
      created: now,
      updated: now,
      expires: new Date(now.getTime() + 86_400_000),
      secret: randomBytes(32).toString('base64url'),
      ...overrides,
    });
  }

  async writeRecord(record: PreviewRecord): Promise<void> {
    await this.docker.createVolume({
      Name: `${record.project}-${record.env}-record-${randomBytes(3).toString('hex')}`,
      Labels: recordLabels(record),
    });
  }

  /** A service container serving HTTP on container port 3000, published on 127.0.0.1 (engine-chosen port). */
  async startService(
    record: PreviewRecord,
    service: string,
    options: { name?: string; script?: string } = {},
  ): Promise<Docker.Container> {
    const container = await this.docker.createContainer({
      Image: BASE_IMAGE,
      Cmd: ['/usr/local/bin/node', '-e', options.script ?? SERVER],
      Env: [`NAME=${options.name ?? `${record.branch}/${service}`}`],
      Labels: previewServiceLabels(record, service),
      ExposedPorts: { '3000/tcp': {} },
      HostConfig: {
        Binds: [`${NODE_BINARY}:/usr/local/bin/node:ro`],
        PortBindings: { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      },
    });
    await container.start();
    return container;
  }

  async dispose(): Promise<void> {
    await removeLabelled(this.docker, { 'devenv.project': this.project });
  }
}
