import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDevenv } from './run-devenv.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('devenv CLI (built binary)', () => {
  it('--help lists commands, global options and exit codes, and exits 0', () => {
    const result = runDevenv(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('devenv <command> [options]');
    expect(result.stdout).toContain('devenv doctor');
    expect(result.stdout).toMatch(/-f, --file/);
    expect(result.stdout).toMatch(/-C, --cwd/);
    expect(result.stdout).toContain(
      'Exit codes: 0 success, 1 failure, 2 usage or configuration error, 130 interrupted.',
    );
    expect(result.stderr).toBe('');
  });

  it('--version prints the package version', () => {
    const result = runDevenv(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('an unknown command exits 2 with a suggestion, no stack trace', () => {
    const result = runDevenv(['doctr']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown command: doctr');
    expect(result.stderr).toContain('did you mean `devenv doctor`?');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unrelated unknown command exits 2 and points at --help', () => {
    const result = runDevenv(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command: frobnicate');
    expect(result.stderr).toContain('devenv --help');
  });

  it('an unknown flag exits 2 and suggests the closest one', () => {
    const result = runDevenv(['doctor', '--jsno']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown argument: jsno');
    expect(result.stderr).toContain('did you mean `--json`?');
  });

  it('a subcommand option without its value exits 2 as a usage error, not a bug', () => {
    const result = runDevenv(['preview', 'logs', '--tail']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Not enough arguments following: tail');
    expect(result.stderr).not.toContain('bug');
  });

  it('no command at all exits 2 and says what to do', () => {
    const result = runDevenv([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Name a command.');
  });

  it('doctor reports on Node and the engine without crashing, engine or not', () => {
    const result = runDevenv(['doctor', '--json'], {
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'node')?.ok).toBe(true);
    const engine = report.checks.find((check) => check.name === 'docker engine');
    expect(engine?.ok).toBe(false);
    expect(engine?.fix).toContain('scripts/provision.sh');
  });
});
