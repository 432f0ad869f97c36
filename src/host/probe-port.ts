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

/** GET http://127.0.0.1:port/path answers `status` (any 2xx/3xx when undefined). */
export async function probeHttp(
  port: number,
  path: string,
  status: number | undefined,
): Promise<ProbeResult> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ok =
      status === undefined ? response.status >= 200 && response.status < 400 : response.status === status;
    return ok ? { ready: true } : { ready: false, detail: `HTTP ${response.status}` };
  } catch (error) {
    // fetch wraps the socket error; its code (ECONNREFUSED) is what tells the user something.
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ready: false, detail: cause?.code ?? (error as Error).message };
  }
}
