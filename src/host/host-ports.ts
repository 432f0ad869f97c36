import { createServer } from 'node:net';
import type { HostPorts } from '../engine/settle-host-ports.js';
import { findPortHolder } from './find-port-holder.js';
import { isPortFree } from './is-port-free.js';

/** The real machine's ports. */
export const machineHostPorts: HostPorts = {
  isFree: (port) => isPortFree(port),
  pickFree: () =>
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    }),
  describeHolder: async (port) => {
    const holder = await findPortHolder(port);
    if (holder === undefined) return undefined;
    // Published container ports show up as Docker's userland proxy; say so rather than "docker-proxy".
    return /docker-proxy/.test(holder.command)
      ? `a Docker container (see \`docker ps --filter publish=${port}\`)`
      : `${holder.command} (pid ${holder.pid})`;
  },
};
