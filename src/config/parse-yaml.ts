import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { ConfigProblem } from '../errors/config-error.js';
import { type Locate, type SourcePosition, WHOLE_FILE } from './source-position.js';

/** Larger files are refused before parsing: a devenv.yaml is a page or two, and YAML parsing is not free. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type ParsedYaml =
  | { ok: true; value: unknown; locate: Locate }
  | { ok: false; problems: ConfigProblem[] };

/** Parses YAML keeping positions; syntax errors become problems with line and column, never exceptions. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    const size = `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    return fail(file, WHOLE_FILE, `file is ${size}; devenv reads files up to 1 MiB`, {
      hint: 'is this the right file? A devenv.yaml describes services, it does not hold data.',
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePosition => lineCounter.linePos(offset);

  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file,
        ...yamlErrorPosition(error.code, error.pos[0], text, at),
        message: `invalid YAML: ${yamlErrorMessage(error.code, error.message)}`,
        ...(error.code === 'TAB_AS_INDENT' ? { hint: 'indent with spaces; YAML does not allow tabs' } : {}),
      })),
    };
  }
  if (doc.contents === null) {
    return fail(file, WHOLE_FILE, 'file is empty', {
      hint: 'start with `name:` and a `services:` or `dependencies:` section (see docs/devenv-yaml.md)',
    });
  }
  keepWrittenNumbers(doc);
  // Aliases are expanded by toJS with the library's default alias limit, so a "billion laughs" file fails fast.
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    return fail(file, WHOLE_FILE, `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ok: true, value, locate: locateIn(doc, at) };
}

/**
 * A plain number that YAML would change from what was written (`7.10` → 7.1, `01234` → 1234,
 * `0x1F` → 31, an integer past 2^53) stays the text: in devenv.yaml such numbers are versions, tags and
 * environment values (`version: 7.10` must pull `redis:7.10`), not arithmetic. Where a number is
 * expected, the schema then says that this one is not a plain one.
 */
function keepWrittenNumbers(doc: Document): void {
  visit(doc, {
    Scalar(_, node) {
      if (node.type !== 'PLAIN' || typeof node.value !== 'number' || node.source === undefined) return;
      if (String(node.value) !== node.source) node.value = node.source;
    },
  });
}

function fail(
  file: string,
  position: SourcePosition,
  message: string,
  extra: { hint?: string } = {},
): ParsedYaml {
  return { ok: false, problems: [{ file, ...position, message, ...extra }] };
}

/** The library appends " at line X, column Y:" and a code excerpt; we print our own location. */
function yamlErrorMessage(code: string, message: string): string {
  if (code === 'TAB_AS_INDENT') return 'tab character used for indentation';
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').replace(/^./, (c) => c.toLowerCase());
}

/** An unclosed quote is reported where the file ends; the quote the user must close is more useful. */
function yamlErrorPosition(
  code: string,
  offset: number,
  text: string,
  at: (offset: number) => SourcePosition,
): SourcePosition {
  if (code === 'MISSING_CHAR') {
    const quote = findUnclosedQuote(text.slice(0, offset + 1));
    if (quote !== undefined) return at(quote);
  }
  return at(offset);
}

function findUnclosedQuote(text: string): number | undefined {
  // Scan line by line: the last line whose quotes are unbalanced opened the string.
  let offset = 0;
  let found: number | undefined;
  for (const line of text.split('\n')) {
    const match = /(?:^|[\s:[{,-])(["'])/.exec(line);
    if (match?.[1] !== undefined) {
      const quote = match[1];
      const start = match.index + match[0].length - 1;
      const rest = line.slice(start + 1);
      if (!rest.includes(quote)) {
        found = offset + start;
        break;
      }
    }
    offset += line.length + 1;
  }
  return found;
}

function locateIn(doc: Document, at: (offset: number) => SourcePosition): Locate {
  return (path, options = {}) => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const next = child(node, segment);
      if (next === undefined) break;
      node = next.value ?? next.key;
      keyNode = next.key;
    }
    const target = options.key && keyNode !== undefined ? keyNode : node;
    const range = (target as Node | null)?.range;
    return range ? at(range[0]) : WHOLE_FILE;
  };
}

function child(node: unknown, segment: PropertyKey): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}
