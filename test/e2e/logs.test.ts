import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDevenv } from './run-devenv.js';

describe('devenv logs without a supervisor (built binary, no engine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-logs-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'devenv-logs-state-'));
  writeFileSync(
    join(dir, 'devenv.yaml'),
    'name: logs-e2e\nservices:\n  api:\n    run: node server.js\n  worker:\n    run: node worker.js\n',
  );
  const env = { DEVENV_STATE_DIR: stateDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('says that a local service has no logs while the environment is not running, and what to run', () => {
    for (const args of [['logs', 'api'], ['logs'], ['logs', '-f', 'api']]) {
      const result = runDevenv(args, { cwd: dir, env });
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toMatch(/error .*not running/);
      expect(result.stderr).toContain('devenv up -d');
      expect(result.code, args.join(' ')).toBe(2);
    }
    expect(runDevenv(['logs', 'api'], { cwd: dir, env }).stderr).toMatch(
      /error api is a local process.*logs-e2e\/default/,
    );
  });
});
