import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { BugError, ExternalError, InterruptedError, UsageError } from '../errors/devenv-error.js';
import { exitCodeFor } from '../errors/exit-code.js';
import { renderError } from './render-error.js';

const plain = { color: false, verbose: false };

describe('renderError', () => {
  it('renders every config problem as file:line:col with its hint', () => {
    const error = new ConfigError([
      {
        file: 'devenv.yaml',
        line: 3,
        col: 5,
        message: 'unknown key `imagee`',
        hint: 'did you mean `image`?',
      },
      { file: 'devenv.yaml', line: 0, col: 0, message: 'the file is empty' },
    ]);
    expect(renderError(error, plain)).toBe(
      [
        'devenv.yaml:3:5 error unknown key `imagee`',
        '  hint: did you mean `image`?',
        'devenv.yaml error the file is empty',
        '✖ 2 problems in the configuration',
        '',
      ].join('\n'),
    );
  });

  it('renders external errors with their hint and no stack unless verbose', () => {
    const error = new ExternalError('ENGINE_UNREACHABLE', 'No Docker engine answers.', {
      hint: 'Start Docker.',
    });
    expect(renderError(error, plain)).toBe('error No Docker engine answers.\n  hint: Start Docker.\n');
    expect(renderError(error, { color: false, verbose: true })).toContain('at ');
  });

  it('calls unknown errors bugs', () => {
    expect(renderError(new TypeError('x is undefined'), plain)).toContain('This is a bug in devenv');
    expect(renderError(new BugError('BUG', 'invariant'), plain)).toContain('This is a bug in devenv');
  });

  it('colours only when asked', () => {
    const error = new UsageError('USAGE', 'bad');
    expect(renderError(error, plain)).not.toContain('\u001b[');
    expect(renderError(error, { color: true, verbose: false })).toContain('\u001b[31m');
  });
});

describe('exitCodeFor', () => {
  it('maps the error kinds to the documented exit codes', () => {
    expect(exitCodeFor(new UsageError('USAGE', 'x'))).toBe(2);
    expect(exitCodeFor(new ConfigError([]))).toBe(2);
    expect(exitCodeFor(new ExternalError('X', 'x'))).toBe(1);
    expect(exitCodeFor(new BugError('X', 'x'))).toBe(1);
    expect(exitCodeFor(new InterruptedError())).toBe(130);
    expect(exitCodeFor(new Error('x'))).toBe(1);
  });
});
