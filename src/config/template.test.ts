// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { parseTemplate } from './template.js';

describe('parseTemplate', () => {
  it('splits text, variables, references and secrets', () => {
    expect(parseTemplate('postgres://${USER:-me}@${db.host}:${db.port}/${secrets.pw}')).toEqual({
      ok: true,
      parts: [
        { kind: 'text', text: 'postgres://' },
        { kind: 'var', name: 'USER', fallback: { text: 'me', ifEmpty: true } },
        { kind: 'text', text: '@' },
        { kind: 'ref', target: 'db', key: 'host' },
        { kind: 'text', text: ':' },
        { kind: 'ref', target: 'db', key: 'port' },
        { kind: 'text', text: '/' },
        { kind: 'secret', name: 'pw' },
      ],
    });
  });

  it('treats $$ and a lone $ as literal', () => {
    expect(parseTemplate('cost $5, $${HOME}')).toEqual({
      ok: true,
      parts: [{ kind: 'text', text: 'cost $5, ${HOME}' }],
    });
  });

  it('parses required variables and dotted output keys', () => {
    expect(parseTemplate('${TOKEN:?set TOKEN}')).toMatchObject({
      parts: [{ kind: 'var', name: 'TOKEN', required: { message: 'set TOKEN', ifEmpty: true } }],
    });
    expect(parseTemplate('${mail.ports.smtp}')).toMatchObject({
      parts: [{ kind: 'ref', target: 'mail', key: 'ports.smtp' }],
    });
  });

  it('reports unclosed and malformed expressions with their offset', () => {
    expect(parseTemplate('a ${DB')).toMatchObject({ ok: false, offset: 2 });
    expect(parseTemplate('${not valid}')).toMatchObject({
      ok: false,
      message: expect.stringContaining('neither'),
    });
  });
});
