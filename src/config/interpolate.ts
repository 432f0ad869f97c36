import { parseTemplate } from './template.js';

export type Interpolated =
  | { ok: true; value: string; secret: boolean }
  | { ok: false; message: string; hint?: string };

export interface InterpolationScope {
  /** Variables for `${VAR}`: the environment over the .env layers. */
  vars: ReadonlyMap<string, string>;
  /** Value of `${target.key}`; absent where references are not allowed (the rules already said so). */
  ref?: (target: string, key: string) => Interpolated;
  /** Value of `${secrets.NAME}`. */
  secret?: (name: string) => Interpolated;
}

/** Resolves every `${…}` in `text`. The result is secret when any part of it was. */
export function interpolate(text: string, scope: InterpolationScope): Interpolated {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  let value = '';
  let secret = false;
  for (const part of parsed.parts) {
    let piece: Interpolated;
    if (part.kind === 'text') piece = { ok: true, value: part.text, secret: false };
    else if (part.kind === 'var') piece = variable(part, scope.vars);
    else if (part.kind === 'ref') {
      piece = scope.ref?.(part.target, part.key) ?? {
        ok: false,
        message: 'references are only allowed in env values',
      };
    } else
      piece = scope.secret?.(part.name) ?? { ok: false, message: 'secrets are only allowed in env values' };
    if (!piece.ok) return piece;
    value += piece.value;
    secret ||= piece.secret;
  }
  return { ok: true, value, secret };
}

function variable(
  part: Extract<ReturnType<typeof parseTemplate>, { ok: true }>['parts'][number] & { kind: 'var' },
  vars: ReadonlyMap<string, string>,
): Interpolated {
  const value = vars.get(part.name);
  const missing = (ifEmpty: boolean) => value === undefined || (ifEmpty && value === '');
  if (part.fallback && missing(part.fallback.ifEmpty))
    return { ok: true, value: part.fallback.text, secret: false };
  if (part.required && missing(part.required.ifEmpty)) {
    return {
      ok: false,
      message: `variable ${part.name} is required${part.required.message ? `: ${part.required.message}` : ''}`,
      hint: `set ${part.name} in the environment or in .env / .env.local`,
    };
  }
  if (value === undefined) {
    return {
      ok: false,
      message: `variable ${part.name} is not set`,
      hint: `set ${part.name} in the environment or in .env, or give a default: \${${part.name}:-value}`,
    };
  }
  return { ok: true, value, secret: false };
}
