import { z } from 'zod';

/**
 * The keys an object schema at `path` accepts, for did-you-mean hints on unknown keys. zod's
 * `unrecognized_keys` issue names the stray key but not the allowed ones, so we walk the schema.
 * Unions contribute the keys of every object option.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const node of schemasAt(schema, path)) {
    if (node instanceof z.ZodObject) for (const key of Object.keys(node.shape)) keys.add(key);
  }
  return [...keys];
}

function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  const here = unwrap(schema);
  if (path.length === 0) return here;
  const [segment, ...rest] = path;
  return here.flatMap((node) => {
    if (node instanceof z.ZodObject && typeof segment === 'string') {
      const field = (node.shape as Record<string, z.ZodType>)[segment];
      return field ? schemasAt(field, rest) : [];
    }
    if (node instanceof z.ZodRecord) return schemasAt(node.valueType as z.ZodType, rest);
    if (node instanceof z.ZodArray && typeof segment === 'number')
      return schemasAt(node.element as z.ZodType, rest);
    return [];
  });
}

/** Looks through wrappers (optional, default, pipe) and unions to the schemas that hold shapes. */
function unwrap(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as readonly z.ZodType[]).flatMap(unwrap);
  return [schema];
}
