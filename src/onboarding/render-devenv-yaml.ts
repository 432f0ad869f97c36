import { Document, isMap, isScalar, type Pair, Scalar, visit } from 'yaml';
import type { DevenvDraft } from './devenv-draft.js';

/** The editor line docs/devenv-yaml.md documents: the YAML language server reads it for completion. */
export const SCHEMA_LINE = 'yaml-language-server: $schema=./node_modules/devenv/schema.json';

/**
 * A draft → devenv.yaml text, through the `yaml` Document API so comments sit on the nodes they explain
 * and quoting is the library's (a version `"16"` stays a string; `${…}` needs none).
 */
export function renderDevenvYaml(draft: DevenvDraft): string {
  const content: Record<string, unknown> = { name: draft.name };
  if (draft.env_files.length > 0) content.env_files = draft.env_files;
  if (Object.keys(draft.dependencies).length > 0) content.dependencies = draft.dependencies;
  if (Object.keys(draft.services).length > 0) content.services = draft.services;
  if (Object.keys(draft.profiles).length > 0) content.profiles = draft.profiles;

  const document = new Document(orderKeys(content));
  visit(document, {
    Seq: (_, seq) => {
      // Short lists of words read best on one line: `command: [npm, run, migrate]`.
      if (seq.items.every((item) => isScalar(item)) && JSON.stringify(seq.toJSON()).length <= 60)
        seq.flow = true;
    },
    Scalar: (_, scalar) => {
      // YAML 1.1 readers (some editors) take these for booleans; quoted, every reader sees the string.
      if (typeof scalar.value === 'string' && /^(y|n|yes|no|on|off)$/i.test(scalar.value))
        scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  document.commentBefore = [SCHEMA_LINE, ...draft.header].map((line) => ` ${line}`.trimEnd()).join('\n');

  const root = document.contents;
  if (!isMap(root)) return String(document);
  for (const pair of root.items as Pair[]) {
    if (!isScalar(pair.key)) continue;
    // A blank line between top-level sections, as people write the file.
    if (pair.key.value !== 'name') pair.key.spaceBefore = true;
    if (pair.key.value !== 'dependencies' && pair.key.value !== 'services') continue;
    if (!isMap(pair.value)) continue;
    for (const [index, entity] of (pair.value.items as Pair[]).entries()) {
      if (!isScalar(entity.key)) continue;
      const comment = draft.comments[String(entity.key.value)];
      if (index > 0) entity.key.spaceBefore = true;
      if (comment !== undefined) entity.key.commentBefore = prefixLines(comment);
    }
  }
  return document.toString({ lineWidth: 0 });
}

/** The order people read an entity in: how it runs, what it gets, what it waits for, how it reloads. */
const KEY_ORDER = [
  'preset',
  'version',
  'image',
  'build',
  'run',
  'cwd',
  'command',
  'port',
  'ports',
  'env',
  'volumes',
  'ready',
  'depends_on',
  'restart',
  'watch',
];

function orderKeys(content: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = { ...content };
  for (const section of ['dependencies', 'services']) {
    const entities = content[section];
    if (typeof entities !== 'object' || entities === null) continue;
    ordered[section] = Object.fromEntries(
      Object.entries(entities).map(([name, spec]) => [
        name,
        Object.fromEntries(
          Object.entries(spec as Record<string, unknown>)
            .filter(([, value]) => value !== undefined)
            .sort(([a], [b]) => rank(a) - rank(b)),
        ),
      ]),
    );
  }
  return ordered;
}

function rank(key: string): number {
  const index = KEY_ORDER.indexOf(key);
  return index === -1 ? KEY_ORDER.length : index;
}

/** The library writes `#` before each line; a leading space makes it `# text`. */
function prefixLines(text: string): string {
  return text
    .split('\n')
    .map((line) => ` ${line}`.trimEnd())
    .join('\n');
}
