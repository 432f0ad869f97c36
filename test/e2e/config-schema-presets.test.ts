// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/devenv.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

function devenv(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('devenv schema', () => {
  it('prints the committed schema.json', () => {
    const result = devenv('schema');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(`${ROOT}schema.json`, 'utf8')));
  });
});

describe('devenv presets', () => {
  it('lists every preset with its image', () => {
    const result = devenv('presets');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^postgres\s+postgres:17\s+PostgreSQL/m);
    expect(result.stdout).toMatch(/^redis\s+redis:8\s+Redis/m);
  });

  it('shows one preset, and its outputs', () => {
    const result = devenv('presets', 'postgres');
    expect(result.stdout).toContain('image      postgres:17');
    expect(result.stdout).toContain('url                  postgres://${env.POSTGRES_USER}');
  });

  it('prints JSON on request', () => {
    const list = JSON.parse(devenv('presets', '--json').stdout) as { name: string }[];
    expect(list.map((p) => p.name)).toContain('kafka');
    expect(JSON.parse(devenv('presets', 'redis', '--json').stdout)).toMatchObject({
      name: 'redis',
      image: 'redis:8',
    });
  });

  it('suggests the closest preset for a typo and exits 2', () => {
    const result = devenv('presets', 'postgress');
    expect(result.stderr).toBe('error unknown preset `postgress`\n  hint: did you mean `postgres`?\n');
    expect(result.code).toBe(2);
  });
});

describe('examples', () => {
  it('quickstart validates with the built binary', () => {
    const result = devenv('-C', `${ROOT}examples/quickstart`, 'validate');
    expect(result.stdout).toBe(
      '✔ devenv.yaml is valid: project quickstart, 1 service (api), 2 dependencies (db, cache)\n',
    );
    expect(result.code).toBe(0);
  });
});
