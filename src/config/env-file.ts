import type { ConfigProblem } from '../errors/config-error.js';

/** An .env file as read from disk; `file` is the path shown in messages. */
export interface EnvFileText {
  file: string;
  text: string;
}

export interface ParsedEnvFile {
  vars: Map<string, string>;
  problems: ConfigProblem[];
}

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * dotenv syntax: `KEY=value`, optional `export`, `#` comments, blank lines; values may be single-quoted
 * (literal), double-quoted (`\n`, `\t`, `\"` escapes) or bare (an inline ` #` starts a comment).
 * Every line that is not one of these is a problem with its position, not a silently ignored line.
 */
export function parseEnvFile({ file, text }: EnvFileText): ParsedEnvFile {
  const vars = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const col = raw.length - raw.trimStart().length + 1;
    const match = LINE.exec(line);
    if (!match?.[1]) {
      problems.push({
        file,
        line: index + 1,
        col,
        message: `expected KEY=VALUE, got \`${line.length > 40 ? `${line.slice(0, 40)}…` : line}\``,
        hint: 'names are letters, digits and _ (not starting with a digit); comments start with #',
      });
      return;
    }
    const value = parseValue(match[2] ?? '');
    if (typeof value !== 'string') {
      problems.push({ file, line: index + 1, col, message: `${value.problem} in the value of ${match[1]}` });
      return;
    }
    vars.set(match[1], value);
  });
  return { vars, problems };
}

function parseValue(raw: string): string | { problem: string } {
  const quote = raw[0];
  if (quote !== '"' && quote !== "'") return raw.replace(/\s+#.*$/, '').trim();
  // A double-quoted value ends at the first quote not escaped by a backslash; a single-quoted one is literal.
  let end = 1;
  while (end < raw.length && raw[end] !== quote) end += quote === '"' && raw[end] === '\\' ? 2 : 1;
  if (end >= raw.length) return { problem: 'unclosed quote' };
  const rest = raw.slice(end + 1).trim();
  if (rest !== '' && !rest.startsWith('#')) {
    return {
      problem: `text after the closing quote (\`${rest.length > 20 ? `${rest.slice(0, 20)}…` : rest}\`)`,
    };
  }
  const inner = raw.slice(1, end);
  if (quote === "'") return inner;
  return inner.replace(
    /\\([nt"\\])/g,
    (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] ?? c,
  );
}

/**
 * The .env files read for a mode, lowest precedence first (the order Vite and dotenv-flow use).
 * `mode` is `development` for local environments and `preview` for branch previews.
 */
export function envFileNames(mode: 'development' | 'preview'): string[] {
  return ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`];
}
