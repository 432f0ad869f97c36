import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { loadEnvironment } from './load-environment.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'devenv-load-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string) {
  writeFileSync(join(dir, 'devenv.yaml'), yaml);
  return loadEnvironment({ cwd: dir, environment: {} });
}

const SERVICE = `services:
  api:
    run: node server.js
    env:
      GREETING: \${GREETING:-none}
`;

describe('loadEnvironment: .env layers', () => {
  it('skips a conventional layer that is a folder (a Python virtualenv named .env)', () => {
    mkdirSync(join(dir, '.env'));
    writeFileSync(join(dir, '.env.local'), 'GREETING=hello\n');
    const { environment } = load(`name: app\n${SERVICE}`);
    expect(environment.services[0]?.env.values.GREETING).toBe('hello');
  });

  it('reports an env_files entry that is a folder, or missing, at its line', () => {
    mkdirSync(join(dir, 'config'));
    let caught: unknown;
    try {
      load(`name: app\nenv_files:\n  - config\n  - nope.env\n${SERVICE}`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toMatchObject([
      { line: 3, message: 'env file config is a folder, not a file' },
      { line: 4, message: 'env file nope.env does not exist' },
    ]);
  });
});
