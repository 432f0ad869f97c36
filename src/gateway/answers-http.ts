import { request } from 'node:http';

/**
 * Whether something answers HTTP on 127.0.0.1:`port` (any status): a TCP connect is not enough when
 * the engine's port proxy sits in front. A `HEAD /` changes nothing on a well-behaved service.
 */
export function answersHttp(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'HEAD', path: '/', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    // Not answering yet is the expected outcome here, not an error to report.
    req.once('error', () => resolve(false));
    req.end();
  });
}
