import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devenvBin, runDevenv } from './run-devenv.js';

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

  it('an unknown command is named as typed, a subcommand with its group', () => {
    const unknown = runDevenv(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command: frobnicate\n');
    const sub = runDevenv(['-C', '.', 'preview', 'lgs']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('Unknown command: preview lgs');
    expect(sub.stderr).toContain('did you mean `devenv preview logs`?');
  });

  it.runIf(existsSync('/usr/bin/script'))('colours an error only where stderr itself is a terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'devenv-colour-'));
    try {
      writeFileSync(join(dir, 'devenv.yaml'), 'name: Bad_Name\n');
      const errors = join(dir, 'errors.txt');
      // `script` gives the command a terminal for stdout and stderr; the second run sends stderr to a file.
      const inTerminal = (command: string) =>
        spawnSync('script', ['-qec', command, '/dev/null'], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm' },
          timeout: 20_000,
        });
      const devenv = `'${process.execPath}' '${devenvBin}' validate`;
      expect(inTerminal(devenv).stdout).toContain('\u001b[31merror');
      inTerminal(`${devenv} 2> errors.txt`);
      const written = readFileSync(errors, 'utf8');
      expect(written).toContain('error');
      expect(written).not.toContain('\u001b[');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
