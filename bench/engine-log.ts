// Helpers for reading the engine's raw API answers in benchmarks (the bench talks to the engine
// directly, independently of devenv's own runtime, to time what devenv does).
import { request } from 'node:http';

/** The engine's unix socket, from DOCKER_HOST when it names one. */
export const socketPath = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').startsWith('unix://')
  ? (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').slice('unix://'.length)
  : '/var/run/docker.sock';

/** One container event as the engine pushed it. */
export interface EngineEvent {
  /** ms since the epoch (from the engine's timeNano). */
  at: number;
  action: string;
  attributes: Record<string, string>;
}

/** Lines of a non-TTY container's multiplexed log stream (8-byte frame headers). */
export function demux(buffer: Buffer): string[] {
  const lines: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    lines.push(
      ...buffer
        .subarray(offset + 8, offset + 8 + size)
        .toString('utf8')
        .split('\n')
        .filter(Boolean),
    );
    offset += 8 + size;
  }
  return lines;
}

/** RFC 3339 with nanoseconds → ms since the epoch (Date.parse wants at most milliseconds). */
export function parseEngineTime(text: string): number | undefined {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return undefined;
  return Date.parse(`${match[1]}${match[3]}`) + Number(`0.${match[2] ?? '0'}`) * 1000;
}

/** The engine's container events as they happen (kept in memory for the whole benchmark). */
export function recordEngineEvents(): { list: EngineEvent[]; stop: () => void } {
  const list: EngineEvent[] = [];
  const filter = encodeURIComponent(JSON.stringify({ type: ['container'] }));
  let rest = '';
  const req = request({ socketPath, path: `/events?filters=${filter}`, method: 'GET' }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.trim()) continue;
        const event = JSON.parse(part) as {
          Action: string;
          timeNano: number;
          Actor: { Attributes: Record<string, string> };
        };
        list.push({ at: event.timeNano / 1e6, action: event.Action, attributes: event.Actor.Attributes });
      }
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  return { list, stop: () => req.destroy() };
}
