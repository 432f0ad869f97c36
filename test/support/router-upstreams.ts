import { createHash, randomBytes } from 'node:crypto';
import {
  type Agent,
  createServer,
  type IncomingMessage,
  type RequestListener,
  request,
  type Server,
} from 'node:http';
import type { Socket } from 'node:net';

import { lineOf } from '../../src/router/batch-lines.js';
import type { RouteRegistry } from '../../src/router/route-registry.js';
import { type RouterServer, startRouterServer } from '../../src/router/start-router-server.js';

// The product's free-port picker, as everywhere in the tests.
export { freePort } from './http.js';

/** The router's HTTP side in the test's process, on a free port, holding requests for up to 5 s. */
export function startTestRouter(registry: RouteRegistry, accessLog: string[]): Promise<RouterServer> {
  return startRouterServer({
    registry,
    port: 0,
    addresses: ['127.0.0.1'],
    holdMs: 5_000,
    accessLog: (line) => accessLog.push(lineOf(line)),
  });
}

/** A node:http upstream on 127.0.0.1; `port` 0 picks one. */
export async function startUpstream(
  handler: RequestListener,
  port = 0,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : port };
}

export function closeServer(server: Server): Promise<void> {
  for (const socket of upgradedSockets.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A request to the router at 127.0.0.1:`port` for `host`: Node's resolver does not resolve
 * `*.localhost`, so the test connects to loopback and names the service in the Host header.
 */
export function send(
  port: number,
  host: string,
  options: {
    path?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    agent?: Agent;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: { host: `${host}:${port}`, ...options.headers },
        ...(options.agent === undefined ? {} : { agent: options.agent }),
      },
      (res) => collectAnswer(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A response's status, headers and whole body. */
export function collectAnswer(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
    );
  });
}

// A minimal WebSocket (RFC 6455) for the tests: text frames, lengths below 64 KiB, no fragmentation.
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Answers upgrades on `server` and echoes every text message back, prefixed with `echo: `. */
const upgradedSockets = new WeakMap<Server, Set<Socket>>();

export function echoWebSockets(server: Server): void {
  const sockets = new Set<Socket>();
  upgradedSockets.set(server, sockets);
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}${WEBSOCKET_GUID}`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    readFrames(socket, (text) => socket.write(frame(`echo: ${text}`, false)));
  });
}

/** Opens a WebSocket through the router for `host`; resolves with a send/receive pair. */
export function openWebSocket(
  port: number,
  host: string,
): Promise<{ send: (text: string) => void; next: () => Promise<string>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      headers: {
        host: `${host}:${port}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
      },
    });
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.on('upgrade', (_res, socket: Socket) => {
      const received: string[] = [];
      const waiting: ((text: string) => void)[] = [];
      readFrames(socket, (text) => {
        const waiter = waiting.shift();
        if (waiter) waiter(text);
        else received.push(text);
      });
      resolve({
        send: (text) => socket.write(frame(text, true)),
        next: () => {
          const text = received.shift();
          return text === undefined ? new Promise((done) => waiting.push(done)) : Promise.resolve(text);
        },
        close: () => socket.destroy(),
      });
    });
    req.end();
  });
}

function frame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  const length =
    payload.length < 126
      ? Buffer.from([payload.length])
      : Buffer.from([126, payload.length >> 8, payload.length & 255]);
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  if (masked) {
    length[0] = (length[0] ?? 0) | 0x80;
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  }
  return Buffer.concat([Buffer.from([0x81]), length, mask, payload]);
}

function readFrames(socket: Socket, onText: (text: string) => void): void {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const masked = ((buffer[1] ?? 0) & 0x80) !== 0;
      let length = (buffer[1] ?? 0) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      }
      const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
      if (masked) offset += 4;
      if (buffer.length < offset + length) return;
      const payload = Buffer.from(buffer.subarray(offset, offset + length));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      buffer = buffer.subarray(offset + length);
      onText(payload.toString());
    }
  });
  socket.on('error', () => socket.destroy());
}
