import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A free host port held open until the container that publishes it is about to start. */
export interface PortReservation {
  port: number;
  release(): Promise<void>;
}

/**
 * Asks the OS for a free port on 127.0.0.1 and keeps it bound. Holding it until just before the
 * container starts keeps the window in which another process could take it to the container's create
 * call, while devenv.yaml's values that read host ports (Kafka's advertised listener reads
 * `${self.host_ports.kafka}`) are resolved with the real port before the container exists.
 */
export async function reservePort(protocol: 'tcp' | 'udp'): Promise<PortReservation> {
  if (protocol === 'udp') {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return once(socket.address().port, () => new Promise<void>((resolve) => socket.close(() => resolve())));
  }
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return once(
    port,
    () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  );
}

/** Releasing twice (a failed start, then the cleanup) closes the socket once. */
function once(port: number, close: () => Promise<void>): PortReservation {
  let closed: Promise<void> | undefined;
  return { port, release: () => (closed ??= close()) };
}
