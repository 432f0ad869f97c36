import { isRecord } from './is-record.js';
import type { Parsed } from './parsed.js';

export interface ComposePort {
  container: number;
  host?: number;
  /** A published range (`8000-8001`): Docker takes a free host port from it. */
  hostRange?: string;
  protocol: 'tcp' | 'udp';
  hostIp?: string;
  name?: string;
}

const SHORT_PORT = /^(?:(\[[^\]]*\]|[^:[\]]+):)??(?:([\d-]*):)?([\d-]+)$/;

/**
 * `"3000"`, `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `"8000-8001:8000"`, `3000`, or
 * `{target, published, host_ip, protocol, name}`. A range on the host side keeps its container port;
 * one on the container side (several ports) is refused.
 */
export function parsePort(entry: unknown): Parsed<ComposePort> {
  if (typeof entry === 'number') return checkPort({ container: entry, protocol: 'tcp' }, String(entry));
  if (typeof entry === 'string') {
    const [spec = '', protocolText = 'tcp'] = entry.split('/');
    const protocol = protocolText === 'udp' ? 'udp' : protocolText === 'tcp' ? 'tcp' : undefined;
    if (protocol === undefined)
      return { ok: false, problem: `protocol \`${protocolText}\` is not tcp or udp` };
    const match = SHORT_PORT.exec(spec);
    if (!match) return { ok: false, problem: `\`${entry}\` is not a port mapping` };
    const [, hostIp, host, container = ''] = match;
    if (container.includes('-'))
      return { ok: false, problem: `port range \`${entry}\` is not supported: list each port` };
    return checkPort(
      {
        container: Number(container),
        protocol,
        ...published(host),
        ...(hostIp ? { hostIp: hostIp.replace(/^\[|\]$/g, '') } : {}),
      },
      entry,
    );
  }
  if (isRecord(entry)) {
    const protocol = entry.protocol === 'udp' ? 'udp' : 'tcp';
    return checkPort(
      {
        container: Number(entry.target),
        protocol,
        ...published(entry.published === undefined ? undefined : String(entry.published)),
        ...(typeof entry.host_ip === 'string' ? { hostIp: entry.host_ip } : {}),
        ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
      },
      JSON.stringify(entry),
    );
  }
  return { ok: false, problem: `\`${String(entry)}\` is not a port` };
}

function published(text: string | undefined): Pick<ComposePort, 'host' | 'hostRange'> {
  if (!text) return {};
  return text.includes('-') ? { hostRange: text } : { host: Number(text) };
}

function checkPort(port: ComposePort, written: string): Parsed<ComposePort> {
  const valid = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 1 && n <= 65535);
  const range = port.hostRange?.split('-').map((part) => (part === '' ? Number.NaN : Number(part)));
  const validRange =
    range === undefined || (range.length === 2 && range.every(valid) && (range[0] ?? 0) <= (range[1] ?? 0));
  if (!valid(port.container) || !valid(port.host) || !validRange)
    return { ok: false, problem: `\`${written}\` is not a port mapping` };
  return { ok: true, value: port };
}
