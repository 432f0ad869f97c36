import { readdir, readFile, readlink } from 'node:fs/promises';

/** A process listening on a port, as far as this machine lets us see it. */
export interface PortHolder {
  pid: number;
  command: string;
}

/**
 * Finds the process listening on a TCP port by reading /proc (Linux): the socket's inode from
 * /proc/net/tcp{,6}, then the process whose fd links to it. Returns undefined where /proc is absent or
 * the process belongs to another user we may not inspect — the caller then says "another program".
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const inode of listeningInodes(text, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return undefined;

  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode)) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        return { pid: Number(pid), command: cmdline.split('\0').filter(Boolean).join(' ') || `pid ${pid}` };
      }
    }
  }
  return undefined;
}

/** Pure: inodes of sockets in LISTEN state (0A) on `port` in a /proc/net/tcp table. */
export function listeningInodes(table: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
    .map((fields) => fields[9] ?? '')
    .filter((inode) => inode !== '' && inode !== '0');
}
