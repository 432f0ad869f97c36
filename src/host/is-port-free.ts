import { createServer } from 'node:net';

/**
 * Whether a TCP port can be bound on `host` right now. Binding is the only reliable test: a connect
 * probe misses listeners on other addresses and sockets in TIME_WAIT.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
