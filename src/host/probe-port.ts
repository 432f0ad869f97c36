import { request } from 'node:http';
import { connect } from 'node:net';

/** The outcome of one readiness attempt; `detail` says why not, for the timeout message. */
export type ProbeResult = { ready: true } | { ready: false; detail: string };

/** One attempt must not eat the whole readiness budget. */
const ATTEMPT_TIMEOUT_MS = 2_000;

/** A TCP connection to 127.0.0.1:port succeeds. Shared by container and process readiness. */
export function probeTcp(port: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: ATTEMPT_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ready: true });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ready: false, detail: 'connection timed out' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ ready: false, detail: error.code ?? error.message }),
    );
  });
}

/**
 * GET http://127.0.0.1:port/path answers `status` (any 2xx/3xx when undefined). node:http rather than
 * fetch: fetch loads Node's bundled undici (~2 MB of heap that the supervisor would carry for good) just
 * for a probe, and its errors hide the socket's code one level down.
 */
export function probeHttp(port: number, path: string, status: number | undefined): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: ATTEMPT_TIMEOUT_MS },
      (response) => {
        // The body is not the answer; dropping it frees the socket.
        response.resume();
        req.destroy();
        const code = response.statusCode ?? 0;
        const ok = status === undefined ? code >= 200 && code < 400 : code === status;
        resolve(ok ? { ready: true } : { ready: false, detail: `HTTP ${code}` });
      },
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ ready: false, detail: error.code ?? error.message }),
    );
    req.end();
  });
}
