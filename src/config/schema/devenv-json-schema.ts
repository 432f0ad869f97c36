import { z } from 'zod';
import { devenvFileSchema } from './devenv-file-schema.js';

/**
 * The JSON Schema of devenv.yaml, generated from the zod schema (the single source of truth) and
 * committed as schema.json. Input side: fields with defaults are optional, as a user writes them.
 */
export function devenvJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(devenvFileSchema, { io: 'input', target: 'draft-2020-12' });
}
