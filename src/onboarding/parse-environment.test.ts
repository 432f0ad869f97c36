import { describe, expect, it } from 'vitest';
import { parseEnvironment } from './parse-environment.js';

describe('parseEnvironment', () => {
  it('reads a list, with bare names passed through', () => {
    const parsed = parseEnvironment(['A=1', 'B=x=y', 'C', 'D=']);
    expect(parsed.ok && [...parsed.value]).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['C', undefined],
      ['D', ''],
    ]);
  });

  it('reads a map, numbers and booleans as strings, empty values as pass-through', () => {
    const parsed = parseEnvironment({ A: 1, B: true, C: null, D: 'text' });
    expect(parsed.ok && [...parsed.value]).toEqual([
      ['A', '1'],
      ['B', 'true'],
      ['C', undefined],
      ['D', 'text'],
    ]);
  });

  it('refuses anything else', () => {
    expect(parseEnvironment('A=1').ok).toBe(false);
  });
});
