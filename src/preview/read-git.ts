import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The checked-out branch in `dir`, or `undefined` (not a repository, detached HEAD, no git). */
export async function currentGitBranch(dir: string): Promise<string | undefined> {
  const output = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return output === undefined || output === '' ? undefined : output;
}

/** The commit checked out in `dir`, or `undefined`. */
export async function currentGitCommit(dir: string): Promise<string | undefined> {
  const output = await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  return output === undefined || output === '' ? undefined : output;
}

async function git(dir: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', dir, ...args], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    // No git, not a repository, or no such ref: the caller reports "no branch" with what to do.
    return undefined;
  }
}
