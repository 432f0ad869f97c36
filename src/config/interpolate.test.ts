// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.js';

const vars = new Map([
  ['USER', 'ada'],
  ['EMPTY', ''],
]);

describe('interpolate', () => {
  it('reads variables with defaults', () => {
    expect(interpolate('${USER}/${MISSING:-x}/${EMPTY:-y}/${EMPTY-z}', { vars })).toEqual({
      ok: true,
      value: 'ada/x/y/',
      secret: false,
    });
  });

  it('names the variable that is not set', () => {
    expect(interpolate('${API_TOKEN}', { vars })).toMatchObject({
      ok: false,
      message: 'variable API_TOKEN is not set',
    });
    expect(interpolate('${API_TOKEN:?get one from the wiki}', { vars })).toMatchObject({
      ok: false,
      message: 'variable API_TOKEN is required: get one from the wiki',
    });
  });

  it('marks a value secret when a secret went into it', () => {
    const result = interpolate('u:${secrets.pw}@${db.host}', {
      vars,
      secret: () => ({ ok: true, value: 'hunter2', secret: true }),
      ref: () => ({ ok: true, value: 'db', secret: false }),
    });
    expect(result).toEqual({ ok: true, value: 'u:hunter2@db', secret: true });
  });
});
