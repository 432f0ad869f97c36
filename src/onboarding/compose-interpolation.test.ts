// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { resolveComposeText, toDevenvTemplate } from './compose-interpolation.js';

const vars = new Map([
  ['TAG', '16'],
  ['EMPTY', ''],
  ['SET', 'value'],
]);

describe('resolveComposeText', () => {
  it('substitutes values, defaults and $$ as Compose does', () => {
    expect(resolveComposeText('postgres:${TAG}', vars)).toEqual({
      text: 'postgres:16',
      unset: [],
      required: [],
    });
    expect(resolveComposeText('${PORT:-3000}:3000', vars)).toEqual({
      text: '3000:3000',
      unset: [],
      required: [],
    });
    expect(resolveComposeText('${EMPTY:-x} ${EMPTY-x}', vars)).toEqual({
      text: 'x ',
      unset: [],
      required: [],
    });
    expect(resolveComposeText('$SET and $$HOME', vars)).toEqual({
      text: 'value and $HOME',
      unset: [],
      required: [],
    });
    expect(resolveComposeText('${A:-${SET}}', vars)).toEqual({ text: 'value', unset: [], required: [] });
  });

  it('lists variables that had no value', () => {
    expect(resolveComposeText('x${MISSING}y', vars)).toEqual({
      text: 'xy',
      unset: ['MISSING'],
      required: [],
    });
  });

  it('lists a required variable without a value as required, not as empty (Compose refuses to start)', () => {
    expect(resolveComposeText('x${NEEDED:?say why}y', vars)).toEqual({
      text: 'xy',
      unset: [],
      required: ['NEEDED'],
    });
  });
});

describe('toDevenvTemplate', () => {
  it('keeps variables as devenv variables', () => {
    expect(toDevenvTemplate('${SET}', vars).text).toBe('${SET}');
    expect(toDevenvTemplate('$SET/x', vars).text).toBe('${SET}/x');
    expect(toDevenvTemplate('${LEVEL:-info} ${LEVEL-info}', vars).text).toBe('${LEVEL:-info} ${LEVEL-info}');
    expect(toDevenvTemplate('$$literal', vars).text).toBe('$$literal');
  });

  it('writes an unset variable without a default as ${VAR:-} and lists it', () => {
    expect(toDevenvTemplate('${SECRET}', vars)).toEqual({
      text: '${SECRET:-}',
      unset: ['SECRET'],
      required: [],
    });
  });

  it('keeps a required variable required (devenv reads `:?` and `?` too) and lists it when it has no value', () => {
    expect(toDevenvTemplate('${SECRET:?needed}', vars)).toEqual({
      text: '${SECRET:?needed}',
      unset: [],
      required: ['SECRET'],
    });
    expect(toDevenvTemplate('${SECRET?}', vars)).toEqual({
      text: '${SECRET?}',
      unset: [],
      required: ['SECRET'],
    });
    expect(toDevenvTemplate('${EMPTY:?no}', vars)).toEqual({
      text: '${EMPTY:?no}',
      unset: [],
      required: ['EMPTY'],
    });
    expect(toDevenvTemplate('${EMPTY?no} ${SET:?no}', vars)).toEqual({
      text: '${EMPTY?no} ${SET:?no}',
      unset: [],
      required: [],
    });
    // devenv's message ends at the first `}`: a nested expression is resolved now.
    expect(toDevenvTemplate('${SECRET:?ask ${SET}}', vars).text).toBe('${SECRET:?ask value}');
  });

  it('resolves a nested default now, keeping its dollars literal', () => {
    expect(toDevenvTemplate('${A:-${SET}}', vars).text).toBe('value');
    expect(toDevenvTemplate('${A:-${B:-$$x}}', vars).text).toBe('$$x');
  });
});
