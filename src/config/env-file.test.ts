import { describe, expect, it } from 'vitest';
import { envFileNames, parseEnvFile } from './env-file.js';

describe('parseEnvFile', () => {
  it('reads bare, quoted and exported values, comments and blank lines', () => {
    const { vars, problems } = parseEnvFile({
      file: '.env',
      text: '# comment\n\nA=1\nexport B = two words # note\nC="line\\nbreak"\nD=\'$literal\'\nE=\n',
    });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(vars)).toEqual({
      A: '1',
      B: 'two words',
      C: 'line\nbreak',
      D: '$literal',
      E: '',
    });
  });

  it('reports a line that is not KEY=VALUE with its line and column', () => {
    const { problems } = parseEnvFile({ file: '.env', text: 'A=1\n  just some words\n1BAD=x\n' });
    expect(problems).toMatchObject([
      { file: '.env', line: 2, col: 3, message: 'expected KEY=VALUE, got `just some words`' },
      { file: '.env', line: 3, col: 1 },
    ]);
  });

  it('reads escaped quotes inside a double-quoted value, and a comment after it', () => {
    const { vars, problems } = parseEnvFile({
      file: '.env',
      text: 'JSON="{\\"a\\":1}"\nPATHS="C:\\\\tmp\\\\" # trailing backslash\nQ=\'it\\\'\n',
    });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(vars)).toEqual({ JSON: '{"a":1}', PATHS: 'C:\\tmp\\', Q: 'it\\' });
  });

  it('reports text after the closing quote rather than dropping it', () => {
    expect(parseEnvFile({ file: '.env', text: 'A="one"two\n' }).problems).toMatchObject([
      { line: 1, col: 1, message: 'text after the closing quote (`two`) in the value of A' },
    ]);
  });

  it('reports an unclosed quote', () => {
    expect(parseEnvFile({ file: '.env', text: 'B="escaped end\\"\n' }).problems[0]?.message).toBe(
      'unclosed quote in the value of B',
    );
    expect(parseEnvFile({ file: '.env', text: 'A="open\n' }).problems[0]?.message).toContain(
      'unclosed quote',
    );
  });
});

describe('envFileNames', () => {
  it('layers base, local and mode files', () => {
    expect(envFileNames('preview')).toEqual(['.env', '.env.local', '.env.preview', '.env.preview.local']);
  });
});
