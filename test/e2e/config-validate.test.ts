// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/devenv.js', import.meta.url).pathname;
const dirs: string[] = [];

/** A temp project with the given files; removed after each test. */
function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-config-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function devenv(cwd: string, ...args: string[]) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, '-C', cwd, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    timeout: 20_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    ms: performance.now() - started,
  };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const VALID = `name: shop
dependencies:
  db: { preset: postgres }
services:
  api:
    run: npm start
    port: 3000
    env: { DATABASE_URL: "\${db.url}" }
`;

/** Each bad input: the file, and the exact first line the user sees on stderr. */
const BAD: [string, Record<string, string | Buffer>, string][] = [
  [
    'tab indentation',
    { 'devenv.yaml': 'services:\n  api:\n\trun: x\n' },
    'devenv.yaml:3:1 error invalid YAML: tab character used for indentation',
  ],
  [
    'unclosed quote',
    { 'devenv.yaml': 'name: "shop\nservices: {}\n' },
    'devenv.yaml:1:7 error invalid YAML: missing closing "quote',
  ],
  ['empty file', { 'devenv.yaml': '' }, 'devenv.yaml error file is empty'],
  [
    'unknown key',
    { 'devenv.yaml': 'services:\n  api:\n    run: x\n    depends-on: [db]\n' },
    'devenv.yaml:4:5 error unknown key `depends-on` in services.api',
  ],
  [
    'wrong type',
    { 'devenv.yaml': 'services:\n  api:\n    run: x\n    port: [3000]\n' },
    'devenv.yaml:4:11 error services.api.port: expected a number or "auto" or a map, got a list',
  ],
  [
    'missing dependency',
    { 'devenv.yaml': 'services:\n  api:\n    run: x\n    env: { DB: "${db.url}" }\n' },
    'devenv.yaml:4:16 error ${db.url} refers to `db`, which is not a dependency or service',
  ],
  [
    'cycle',
    { 'devenv.yaml': 'services:\n  a: { run: x, depends_on: [b] }\n  b: { run: x, depends_on: [a] }\n' },
    'devenv.yaml:2:29 error dependency cycle: a → b → a',
  ],
  [
    'unresolvable secret',
    {
      'devenv.yaml':
        'secrets:\n  token: { env: DEVENV_TEST_UNSET_TOKEN }\nservices:\n  api: { run: x, env: { T: "${secrets.token}" } }\n',
    },
    'devenv.yaml:4:28 error services.api.env.T: secret `token` could not be resolved: DEVENV_TEST_UNSET_TOKEN is not set',
  ],
  [
    'bad .env line',
    { 'devenv.yaml': VALID, '.env': 'A=1\nnot a pair\n' },
    '.env:2:1 error expected KEY=VALUE, got `not a pair`',
  ],
  [
    'unset variable',
    { 'devenv.yaml': 'services:\n  api: { run: x, env: { T: "${DEVENV_TEST_UNSET}" } }\n' },
    'devenv.yaml:2:28 error services.api.env.T: variable DEVENV_TEST_UNSET is not set',
  ],
  [
    '10 MB file',
    { 'devenv.yaml': Buffer.alloc(10 * 1024 * 1024, 'a') },
    'devenv.yaml error file is 10.0 MiB; devenv reads files up to 1 MiB',
  ],
];

describe('devenv validate', () => {
  it('prints a one-line summary and exits 0 for a valid file', () => {
    const result = devenv(project({ 'devenv.yaml': VALID }), 'validate');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('✔ devenv.yaml is valid: project shop, 1 service (api), 1 dependency (db)\n');
    expect(result.code).toBe(0);
  });

  it.each(BAD)('%s: a located message, exit 2, no stack trace', (_name, files, firstLine) => {
    const result = devenv(project(files), 'validate');
    expect(result.stderr.split('\n')[0]).toBe(firstLine);
    expect(result.stderr).toMatch(/✖ \d+ problems? in the configuration\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('reports every problem at once, with did-you-mean hints', () => {
    const result = devenv(
      project({ 'devenv.yaml': 'servics: {}\ndependencies:\n  db: { preset: postgres, enviroment: {} }\n' }),
      'validate',
    );
    expect(result.stderr).toBe(
      [
        'devenv.yaml:1:1 error unknown key `servics` at the top level',
        '  hint: did you mean `services`?',
        'devenv.yaml:3:27 error unknown key `enviroment` in dependencies.db',
        '  hint: did you mean `env`?',
        '✖ 2 problems in the configuration',
        '',
      ].join('\n'),
    );
  });

  it('says how to start when there is no devenv.yaml', () => {
    const result = devenv(project({}), 'validate');
    expect(result.stderr).toContain('error no devenv.yaml here');
    expect(result.stderr).toContain('hint: create devenv.yaml (see docs/devenv-yaml.md)');
    expect(result.code).toBe(2);
  });

  it('reads the file given with -f', () => {
    const result = devenv(project({ 'env.yml': VALID }), '-f', 'env.yml', 'validate');
    expect(result.stdout).toContain('env.yml is valid');
    expect(result.code).toBe(0);
  });
});
