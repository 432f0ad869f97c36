import { unlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { serializeError } from '../errors/serialize-error.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { type ControlMessage, type ControlRequest, encodeMessage } from './control-protocol.js';

/** What a connection can do besides answering: receive pushed events once it subscribed. */
export interface ControlConnection {
  push(event: EnvironmentEvent): void;
  /** Called when the client goes away (to drop its subscription). */
  onClose(listener: () => void): void;
}

/** Answers one request; the router's socket reuses this server with its own request union. */
export type ControlHandler<Request extends { id: number } = ControlRequest> = (
  request: Request,
  connection: ControlConnection,
) => Promise<unknown>;

/**
 * Listens on a unix socket and dispatches each request line to `handler`. Requests on one connection
 * may run concurrently (a long `up` must not block `status`). Malformed lines get an error response.
 */
export interface ControlServer {
  /** Stops listening, drops every client and removes the socket file. */
  close(): Promise<void>;
}

/**
 * The caller must hold the process's lock (`acquireSupervisorLock`): a socket file found at
 * `socketPath` is then a leftover of a killed predecessor, removed here so the listen succeeds.
 * Clients never remove it: one that saw the socket refuse a connection could not tell a dead
 * process's file from one that is about to listen.
 */
export async function startControlServer<Request extends { id: number } = ControlRequest>(
  socketPath: string,
  handler: ControlHandler<Request>,
): Promise<ControlServer> {
  await removeSocketFile(socketPath);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, handler);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        // Messages of this tick (the final `stopped` event) wait in a cork; destroy would drop them.
        while (socket.writableCorked > 0) socket.uncork();
        socket.destroy();
      }
      await closed;
      // Node removes the socket file on close; this covers a path left by a crash between listen and close.
      await removeSocketFile(socketPath);
    },
  };
}

function serve<Request extends { id: number }>(socket: Socket, handler: ControlHandler<Request>): void {
  const closeListeners: (() => void)[] = [];
  let corked = false;
  const send = (message: ControlMessage): void => {
    if (socket.destroyed) return;
    // A chatty service's output arrives in chunks of many lines, each pushed as its own message: they
    // leave in one write at the end of the tick rather than one system call (and one wake-up of the
    // client) per line.
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    socket.write(encodeMessage(message));
  };
  const connection: ControlConnection = {
    push: (event) => send({ event }),
    onClose: (listener) => closeListeners.push(listener),
  };
  socket.on('close', () => {
    for (const listener of closeListeners) listener();
  });
  // A client that vanishes mid-write (Ctrl-C on `devenv logs -f`) is normal, not a supervisor failure.
  socket.on('error', () => socket.destroy());

  const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  // readline re-emits its input's errors: without a listener here, the ECONNRESET of a client that
  // left with events unread would end the supervisor (and every service it runs) as an uncaught error.
  lines.on('error', () => socket.destroy());
  lines.on('line', (line) => {
    let request: Request;
    try {
      request = JSON.parse(line) as Request;
    } catch {
      send({
        id: -1,
        ok: false,
        error: { kind: 'bug', code: 'PROTOCOL', message: 'malformed request line' },
      });
      return;
    }
    handler(request, connection).then(
      (result) => send({ id: request.id, ok: true, result: result ?? null }),
      (error: unknown) => send({ id: request.id, ok: false, error: serializeError(error) }),
    );
  });
}

async function removeSocketFile(socketPath: string): Promise<void> {
  await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
