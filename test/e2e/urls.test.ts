import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceHost } from '../../src/naming/service-host.js';
import { runDevenv } from './run-devenv.js';

const dir = mkdtempSync(join(tmpdir(), 'devenv-urls-'));
writeFileSync(
  join(dir, 'devenv.yaml'),
  `name: shop
services:
  api:
    run: node api.js
    port: 3001
  web:
    run: node web.js
    port: 3002
  worker:
    run: node worker.js
    env: { TOKEN: "\${secrets.token}", KEY: "\${secrets.key}" }
secrets:
  token: { command: "echo asked >> prompted.txt; exit 1" }
  key: { env: KEY_NOT_SET_HERE }
`,
);
// Nothing runs in these tests: URLs are known from devenv.yaml alone.
const env = { DEVENV_STATE_DIR: join(dir, '.state'), DEVENV_ROUTER_PORT: '' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('devenv urls', () => {
  it('prints each service with a port and its URL on the default router port', () => {
    const result = runDevenv(['urls'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('api  http://api.shop.localhost:7777\nweb  http://web.shop.localhost:7777\n');
    // URLs need no secret: the command secret was not run, the unset env one is no error.
    expect(existsSync(join(dir, 'prompted.txt'))).toBe(false);
  });

  it('--json maps each service to its URL, on DEVENV_ROUTER_PORT when set', () => {
    const result = runDevenv(['urls', '--json'], { cwd: dir, env: { ...env, DEVENV_ROUTER_PORT: '8088' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      api: 'http://api.shop.localhost:8088',
      web: 'http://web.shop.localhost:8088',
    });
  });

  it('--branch gives the branch environment’s hosts, with the slug and hash of the branch', () => {
    const result = runDevenv(['urls', '--json', '--branch', 'feature/Login'], { cwd: dir, env });
    expect(result.code).toBe(0);
    const urls = JSON.parse(result.stdout) as Record<string, string>;
    expect(urls.api).toBe(`http://${serviceHost('shop', 'feature/Login', 'api')}:7777`);
    expect(urls.api).toMatch(/^http:\/\/api--feature-login-[0-9a-f]{8}\.shop\.localhost:7777$/);
  });

  it('rejects a DEVENV_ROUTER_PORT that is not a port with exit 2', () => {
    const result = runDevenv(['urls'], { cwd: dir, env: { ...env, DEVENV_ROUTER_PORT: 'http' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DEVENV_ROUTER_PORT=http is not a TCP port');
  });
});
