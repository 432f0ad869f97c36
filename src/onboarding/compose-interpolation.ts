/**
 * Compose interpolates `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`
 * and `$$` everywhere in the file, from the shell and the project's `.env`. devenv reads the same
 * `${…}` forms (but not `$VAR`) in env values and commands, and treats an unset `${VAR}` as an error
 * where Compose uses an empty value.
 */

/** The text, and the variables that had no value. */
export interface Interpolated {
  text: string;
  /** No value and no default: Compose uses an empty one (and warns). */
  unset: string[];
  /** No value for a `${VAR:?message}` / `${VAR?message}`: Compose refuses to start. */
  required: string[];
}

interface Expression {
  start: number;
  end: number;
  name: string;
  /** `:-`, `-`, `:?`, `?`, or '' for a plain `${VAR}` / `$VAR`. */
  operator: string;
  argument: string;
}

/** Finds every `$VAR` / `${…}` (not `$$`), matching nested braces in defaults. */
function scan(text: string): Expression[] {
  const found: Expression[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$') {
      i += 1;
      continue;
    }
    if (text[i + 1] === '$') {
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === '{') depth += 1;
        if (text[j] === '}') depth -= 1;
        j += 1;
      }
      const body = text.slice(i + 2, j - 1);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?([\s\S]*)$/.exec(body);
      if (depth === 0 && match?.[1] !== undefined) {
        found.push({ start: i, end: j, name: match[1], operator: match[2] ?? '', argument: match[3] ?? '' });
      }
      i = j;
      continue;
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (bare) {
      found.push({ start: i, end: i + 1 + bare[0].length, name: bare[0], operator: '', argument: '' });
      i += 1 + bare[0].length;
      continue;
    }
    i += 1;
  }
  return found;
}

/** Whether Compose refuses the expression for want of a value (`:?` refuses an empty one too). */
function isMissingRequired(expression: Expression, vars: ReadonlyMap<string, string>): boolean {
  const value = vars.get(expression.name);
  if (expression.operator === '?') return value === undefined;
  return expression.operator === ':?' && (value === undefined || value === '');
}

/** Compose's own result for a variable: its value, the default, or empty (Compose warns and goes on). */
function composeValueOf(expression: Expression, vars: ReadonlyMap<string, string>): string {
  const value = vars.get(expression.name);
  const { operator, argument } = expression;
  if (operator === ':-' && (value === undefined || value === ''))
    return resolveComposeText(argument, vars).text;
  if (operator === '-' && value === undefined) return resolveComposeText(argument, vars).text;
  return value ?? '';
}

/**
 * For fields devenv does not interpolate, or that onboarding must read (ports, images, paths): the value
 * Compose would use now. `unset` lists variables that were empty for want of a value.
 */
export function resolveComposeText(text: string, vars: ReadonlyMap<string, string>): Interpolated {
  return rewriteExpressions(
    text,
    (literal) => literal.replaceAll('$$', '$'),
    (expression, { unset, required }) => {
      if (isMissingRequired(expression, vars)) required.push(expression.name);
      else if (!vars.has(expression.name) && !expression.operator.includes('-')) unset.push(expression.name);
      return composeValueOf(expression, vars);
    },
  );
}

/**
 * For env values and commands, which devenv interpolates itself: the same expression in devenv's
 * syntax, so the variable stays a variable. A variable that is neither set in the project's .env files
 * nor given a default becomes `${VAR:-}` (Compose's empty value; devenv would refuse an unset `${VAR}`),
 * and is listed in `unset`. `${VAR:?message}` and `${VAR?message}` stay as they are (devenv refuses a
 * missing value too, as Compose does); one without a value is listed in `required`. A nested default is
 * resolved now (devenv has no nesting).
 */
export function toDevenvTemplate(text: string, vars: ReadonlyMap<string, string>): Interpolated {
  return rewriteExpressions(
    text,
    // devenv reads `$$` as one `$` too, so literal text stays as written.
    (literal) => literal,
    (expression, { unset, required }) => {
      const { name, operator, argument } = expression;
      if (operator.includes('?')) {
        if (isMissingRequired(expression, vars)) required.push(name);
        // devenv's message ends at the first `}`: expressions in it are resolved now, braces become parentheses.
        const message = (
          argument.includes('$') ? resolveComposeText(argument, vars).text : argument
        ).replaceAll('}', ')');
        return `\${${name}${operator}${message}}`;
      }
      if (argument.includes('$')) return escapeDollars(composeValueOf(expression, vars));
      if (operator === ':-' || operator === '-') return `\${${name}${operator}${argument}}`;
      if (vars.has(name)) return `\${${name}}`;
      unset.push(name);
      return `\${${name}:-}`;
    },
  );
}

/** `text` with each expression replaced by `expression(…)` and the text between them by `literal(…)`. */
function rewriteExpressions(
  text: string,
  literal: (text: string) => string,
  expression: (expression: Expression, missing: Omit<Interpolated, 'text'>) => string,
): Interpolated {
  const missing = { unset: [] as string[], required: [] as string[] };
  let out = '';
  let last = 0;
  for (const found of scan(text)) {
    out += literal(text.slice(last, found.start)) + expression(found, missing);
    last = found.end;
  }
  return { text: out + literal(text.slice(last)), ...missing };
}

function escapeDollars(text: string): string {
  // A function replacer: in a replacement string `$$` itself means one `$`.
  return text.replaceAll('$', () => '$$');
}
