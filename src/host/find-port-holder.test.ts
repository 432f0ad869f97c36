import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findPortHolder, listeningInodes } from './find-port-holder.js';
import { isPortFree } from './is-port-free.js';

const table = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0',
  '   1: 0100007F:1538 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 22222 1 0',
  '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 33333 1 0',
].join('\n');

describe('listeningInodes', () => {
  it('keeps only listening sockets on the port', () => {
    expect(listeningInodes(table, 5432)).toEqual(['12345']);
    expect(listeningInodes(table, 8080)).toEqual(['33333']);
    expect(listeningInodes(table, 6379)).toEqual([]);
  });
});

describe('port checks on this machine', () => {
  it('sees a port held by this very process, and names it', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await isPortFree(port)).toBe(false);
      const holder = await findPortHolder(port);
      if (process.platform === 'linux') expect(holder?.pid).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await isPortFree(port)).toBe(true);
  });
});
