import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SecretResolver } from '../secret-resolver.js';

/** A secret command that takes longer than this is stuck (waiting for a login prompt, usually). */
const COMMAND_TIMEOUT_MS = 15_000;

/**
 * The real secret resolver: reads files and runs commands. Values are trimmed of surrounding
 * whitespace (a trailing newline is never part of a token). Failures become reasons, never exceptions.
 */
export function readSecret(env: NodeJS.ProcessEnv): SecretResolver {
  return (_name, source) => {
    try {
      if (source.kind === 'file') return { ok: true, value: readFileSync(source.path, 'utf8').trim() };
      const [program = '', ...args] = source.command;
      const output = execFileSync(program, args, {
        cwd: source.cwd,
        env,
        encoding: 'utf8',
        timeout: COMMAND_TIMEOUT_MS,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const value = output.trim();
      return value === '' ? { ok: false, reason: 'the command printed nothing' } : { ok: true, value };
    } catch (error) {
      return { ok: false, reason: describe(error, source.kind) };
    }
  };
}

function describe(error: unknown, kind: 'file' | 'command'): string {
  const e = error as NodeJS.ErrnoException & {
    status?: number | null;
    stderr?: string;
    signal?: string | null;
  };
  if (e.code === 'ENOENT') return kind === 'file' ? 'the file does not exist' : 'the command was not found';
  if (e.code === 'EACCES')
    return kind === 'file' ? 'the file is not readable' : 'the command is not executable';
  if (e.code === 'ETIMEDOUT' || e.signal === 'SIGTERM')
    return `the command did not finish within ${COMMAND_TIMEOUT_MS / 1000}s`;
  if (typeof e.status === 'number') {
    const stderr = (e.stderr ?? '').trim().split('\n')[0];
    return `the command exited with status ${e.status}${stderr ? `: ${stderr}` : ''}`;
  }
  return e.message ?? String(error);
}
