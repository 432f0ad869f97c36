/**
 * The `${…}` language of devenv.yaml strings, parsed once into parts:
 * - `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?message}`, `${VAR?message}`
 *   read the environment (and .env files);
 * - `${name.key}` reads an output of a dependency or service (`${db.url}`, `${mail.ports.smtp}`);
 * - `${secrets.NAME}` reads a declared secret;
 * - `$$` is a literal `$`; a `$` not followed by `{` is literal too.
 */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | {
      kind: 'var';
      name: string;
      fallback?: { text: string; ifEmpty: boolean };
      required?: { message: string; ifEmpty: boolean };
    }
  | { kind: 'ref'; target: string; key: string }
  | { kind: 'secret'; name: string };

export type ParsedTemplate =
  | { ok: true; parts: TemplatePart[] }
  | { ok: false; message: string; offset: number };

const VAR = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])(.*))?$/s;
const REF = /^([a-z0-9][a-z0-9-]*)\.([A-Za-z0-9_][A-Za-z0-9_.-]*)$/;

export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '$' && text[i + 1] === '$') {
      literal += '$';
      i += 2;
      continue;
    }
    if (char !== '$' || text[i + 1] !== '{') {
      literal += char;
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end === -1)
      return { ok: false, message: '`${` is never closed (write `$${` for a literal `${`)', offset: i };
    const part = parseExpression(text.slice(i + 2, end));
    if (typeof part === 'string') return { ok: false, message: part, offset: i };
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
    parts.push(part);
    i = end + 1;
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  return { ok: true, parts };
}

function parseExpression(body: string): TemplatePart | string {
  const ref = REF.exec(body);
  if (ref?.[1] !== undefined && ref[2] !== undefined) {
    return ref[1] === 'secrets'
      ? { kind: 'secret', name: ref[2] }
      : { kind: 'ref', target: ref[1], key: ref[2] };
  }
  const variable = VAR.exec(body);
  if (variable?.[1] === undefined) {
    return `\`\${${body}}\` is neither a variable (\`\${NAME}\`) nor a reference (\`\${name.key}\`)`;
  }
  const [, name, colon, operator, rest = ''] = variable;
  const ifEmpty = colon === ':';
  if (operator === '-') return { kind: 'var', name, fallback: { text: rest, ifEmpty } };
  if (operator === '?') return { kind: 'var', name, required: { message: rest, ifEmpty } };
  return { kind: 'var', name };
}

/** True when the string contains no `${…}` at all, the common case, which needs no work. */
export function isPlainText(text: string): boolean {
  return !text.includes('$');
}
