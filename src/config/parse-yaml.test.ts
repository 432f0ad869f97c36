import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, parseYaml } from './parse-yaml.js';
import { problemLines } from './test-support/config-fixture.js';

const problemsOf = (text: string) => {
  const result = parseYaml(text, 'devenv.yaml');
  return result.ok ? [] : problemLines(result.problems);
};

describe('parseYaml', () => {
  it('reports tab indentation where the tab is', () => {
    expect(problemsOf('services:\n  api:\n\trun: x\n')).toEqual([
      '3:1 invalid YAML: tab character used for indentation (indent with spaces; YAML does not allow tabs)',
    ]);
  });

  it('reports an unclosed quote at the opening quote', () => {
    expect(problemsOf('name: app\nimage: "postgres:17\nservices: {}\n')).toEqual([
      '2:8 invalid YAML: missing closing "quote',
    ]);
  });

  it('reports duplicate keys', () => {
    expect(problemsOf('name: a\nname: b\n')[0]).toMatch(/^2:1 invalid YAML: map keys must be unique/);
  });

  it('says an empty or comment-only file is empty', () => {
    expect(problemsOf('')[0]).toMatch(/^0:0 file is empty/);
    expect(problemsOf('# nothing yet\n')[0]).toMatch(/^0:0 file is empty/);
  });

  it('refuses oversized input without parsing it, quickly', () => {
    const started = performance.now();
    expect(problemsOf('a'.repeat(10 * MAX_CONFIG_BYTES))[0]).toMatch(
      /^0:0 file is 10.0 MiB; devenv reads files up to 1 MiB/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(problemsOf(bomb)[0]).toMatch(/invalid YAML/);
  });

  it('locates values and keys by path', () => {
    const result = parseYaml('services:\n  api:\n    run: x\n', 'devenv.yaml');
    if (!result.ok) throw new Error('expected valid YAML');
    expect(result.locate(['services', 'api', 'run'])).toEqual({ line: 3, col: 10 });
    expect(result.locate(['services', 'api', 'run'], { key: true })).toEqual({ line: 3, col: 5 });
    expect(result.locate(['services', 'web'])).toEqual({ line: 2, col: 3 });
  });
});
