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
    expect(resolveComposeText('postgres:${TAG}', vars)).toEqual({ text: 'postgres:16', unset: [] });
    expect(resolveComposeText('${PORT:-3000}:3000', vars)).toEqual({ text: '3000:3000', unset: [] });
    expect(resolveComposeText('${EMPTY:-x} ${EMPTY-x}', vars)).toEqual({ text: 'x ', unset: [] });
    expect(resolveComposeText('$SET and $$HOME', vars)).toEqual({ text: 'value and $HOME', unset: [] });
    expect(resolveComposeText('${A:-${SET}}', vars)).toEqual({ text: 'value', unset: [] });
  });

  it('lists variables that had no value', () => {
    expect(resolveComposeText('x${MISSING}y', vars)).toEqual({ text: 'xy', unset: ['MISSING'] });
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
    expect(toDevenvTemplate('${SECRET}', vars)).toEqual({ text: '${SECRET:-}', unset: ['SECRET'] });
    expect(toDevenvTemplate('${SECRET:?needed}', vars)).toEqual({ text: '${SECRET:-}', unset: ['SECRET'] });
  });

  it('resolves a nested default now, keeping its dollars literal', () => {
    expect(toDevenvTemplate('${A:-${SET}}', vars).text).toBe('value');
    expect(toDevenvTemplate('${A:-${B:-$$x}}', vars).text).toBe('$$x');
  });
});
