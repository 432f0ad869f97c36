import { describe, expect, it } from 'vitest';
import { commandWords, followAliasForLogs } from './command-words.js';

describe('commandWords', () => {
  it('skips options and the values of the global options', () => {
    expect(commandWords(['-C', 'app', '--verbose', 'logs', '-f', 'db']).words).toEqual(['logs']);
    expect(commandWords(['--file', 'x.yaml', 'preview', 'logs', 'feature/a']).words).toEqual([
      'preview',
      'logs',
    ]);
    expect(commandWords(['status', 'extra']).words).toEqual(['status']);
    expect(commandWords([]).words).toEqual([]);
  });
});

describe('followAliasForLogs', () => {
  it('reads -f after logs or preview logs as --follow, and before the command as --file', () => {
    expect(followAliasForLogs(['logs', '-f', 'db'])).toEqual(['logs', '--follow', 'db']);
    expect(followAliasForLogs(['-C', 'app', 'logs', '-f'])).toEqual(['-C', 'app', 'logs', '--follow']);
    expect(followAliasForLogs(['-f', 'other.yaml', 'logs', '-f'])).toEqual([
      '-f',
      'other.yaml',
      'logs',
      '--follow',
    ]);
    expect(followAliasForLogs(['preview', 'logs', '-f'])).toEqual(['preview', 'logs', '--follow']);
    expect(followAliasForLogs(['status', '-f', 'x.yaml'])).toEqual(['status', '-f', 'x.yaml']);
  });
});
