import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { devenvJsonSchema } from './devenv-json-schema.js';

type JsonSchema = { description?: string; properties?: Record<string, JsonSchema>; [key: string]: unknown };

describe('schema.json', () => {
  it('is the schema generated from zod (run `node bin/devenv.js schema > schema.json` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(devenvJsonSchema());
  });

  it('describes every property and rejects unknown keys everywhere', () => {
    const undocumented: string[] = [];
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) walk(item, `${path}[${i}]`);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const schema = node as JsonSchema;
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false)
        open.push(path);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (!property.description) undocumented.push(`${path}.${key}`);
      }
      for (const [key, value] of Object.entries(schema)) walk(value, `${path}/${key}`);
    };
    walk(devenvJsonSchema(), '');
    expect(undocumented).toEqual([]);
    expect(open).toEqual([]);
  });
});
