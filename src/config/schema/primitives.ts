// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.

import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';

/**
 * Building blocks shared by devenv.yaml and presets (which are validated by the same field schemas).
 * Every field carries a description (and its default, where it has one): they become the JSON Schema
 * that editors show on hover.
 */

/** A length of time: `500ms`, `2s`, `5m`, `72h`, `7d`. */
export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'expected a duration such as 500ms, 2s, 5m, 72h or 7d')
  .meta({ description: 'A duration: a whole number followed by ms, s, m, h or d (e.g. `2s`, `72h`).' });

export const portNumberSchema = z
  .int()
  .min(1)
  .max(65535)
  .meta({ description: 'A TCP/UDP port number (1–65535).' });

/** A command: a string runs through `sh -c`; a list is executed as is, without a shell. */
export const commandSchema = z.union([z.string().min(1), z.array(z.string()).min(1)]).meta({
  description:
    'A command. A string runs through `sh -c` (pipes, `&&`, globbing work); a list is the exact argv, no shell.',
});

export const envNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (letters, digits, _)');

/** Values may be written as YAML numbers or booleans; they reach processes as strings. */
export const envMapSchema = z
  .record(
    envNameSchema,
    z.union([z.string(), z.number(), z.boolean()]).meta({
      description:
        'Value. `${VAR}` / `${VAR:-default}` read the environment and .env files, `${db.url}` reads an ' +
        'output of a dependency or service, `${secrets.NAME}` a declared secret; `$$` is a literal `$`.',
    }),
  )
  .meta({ description: 'Environment variables, NAME: value.' });

/** Names of dependencies, services, profiles and volumes: checked as DNS labels by the rules, with positions. */
export const nameSchema = z.string().meta({ description: 'A name: lowercase letters, digits and hyphens.' });

export const conditionSchema = z.enum(['started', 'healthy', 'completed']).meta({
  description:
    '`started`: the container/process is running; `healthy`: its `ready` check passed; ' +
    '`completed`: it exited with status 0 (one-shot tasks such as migrations).',
});

export const dependsOnSchema = z
  .union([
    z.array(nameSchema),
    z.record(
      nameSchema,
      z.union([conditionSchema, z.strictObject({ condition: conditionSchema })]).meta({
        description: 'The condition to wait for.',
      }),
    ),
  ])
  .meta({
    description:
      'What must be up first: a list of names (wait until `healthy` when the target has a `ready` check, ' +
      'else `started`), or a map of name to condition.',
  });

export const volumesSchema = z.record(nameSchema, z.string().startsWith('/')).meta({
  description:
    'Named volumes: volume name → absolute path in the container. Data is kept per environment and ' +
    'survives `devenv down` (removed only by `devenv down --volumes`).',
});

export const imageSchema = z.string().min(1).meta({
  description:
    'Image reference, e.g. `postgres:17`. Pulled through the engine, so registry mirrors configured there apply.',
});
