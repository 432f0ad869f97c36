// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { z } from 'zod';
import { DURATION_PATTERN, durationMs, MAX_PREVIEW_TTL } from '../duration.js';
import { dependencySchema } from './dependency-schema.js';
import { commandSchema, durationSchema, envMapSchema, nameSchema } from './primitives.js';
import { serviceSchema } from './service-schema.js';

const secretSchema = z
  .strictObject({
    env: z
      .string()
      .optional()
      .meta({ description: 'Read from this variable of the environment devenv runs in.' }),
    file: z.string().optional().meta({
      description:
        'Read from this file (trailing newline dropped). Must be outside the repository; `~` allowed.',
    }),
    command: commandSchema.optional().meta({
      description: 'Print it with this command, e.g. `op read op://dev/stripe/key` (stdout, trimmed).',
    }),
  })
  .meta({
    description:
      'Where a secret comes from: exactly one of `env`, `file`, `command`. Resolved when the environment ' +
      'starts, never written to generated files, and redacted wherever env is printed.',
  });

const seedSchema = z
  .strictObject({
    service: nameSchema.optional().meta({
      description: "Run `command` in this service's container (e.g. `api` with `npm run seed`).",
    }),
    dependency: nameSchema.optional().meta({
      description: "Run `command` (or feed `sql`) in this dependency's container (e.g. `db`).",
    }),
    command: commandSchema.optional().meta({
      description: 'The seed command, run once in the fresh preview after everything is ready.',
    }),
    sql: z.string().optional().meta({
      description:
        'For a Postgres `dependency`: a SQL file (relative to devenv.yaml) piped to `psql` once, in the fresh preview.',
    }),
  })
  .meta({
    description:
      'Seeds a new preview (only on its first `preview up`): exactly one of `service` / `dependency`, ' +
      'and `command` (or `sql` for a dependency).',
  });

const previewSchema = z
  .strictObject({
    profile: nameSchema
      .optional()
      .meta({ description: 'Profile a preview runs. Default: the `default` profile.' }),
    services: z.array(nameSchema).optional().meta({
      description: 'Names a preview runs (with what they depend on), instead of a profile.',
    }),
    ttl: durationSchema
      // zod runs this after a failed format check too: a malformed ttl has its own message already.
      .refine(
        (ttl) => !DURATION_PATTERN.test(ttl) || durationMs(ttl) <= durationMs(MAX_PREVIEW_TTL),
        `at most ${MAX_PREVIEW_TTL}`,
      )
      .default('72h')
      .meta({ description: 'A preview is removed this long after its last update.' }),
    access: z
      .enum(['public', 'token', 'basic'])
      .default('token')
      .meta({
        description:
          '`public`: anyone with the URL; `token`: the URL carries a per-preview token; `basic`: HTTP basic auth ' +
          'with the credentials in `basic_auth`.',
      }),
    basic_auth: nameSchema.optional().meta({
      description: 'For `access: basic`: name of a secret holding `user:password`.',
    }),
    domain: z.string().optional().meta({
      description: 'Base domain for preview URLs (`<service>-<branch>.<domain>`). Default: the preview host.',
    }),
    env: z.record(nameSchema, envMapSchema).optional().meta({
      description: 'Env overrides per dependency or service in previews, e.g. `{api: {LOG_LEVEL: debug}}`.',
    }),
    public_paths: z.array(z.string().startsWith('/')).default([]).meta({
      description:
        'Path prefixes the gateway serves without a token, even for private previews (webhooks), e.g. `/webhooks/`.',
    }),
    idle_sleep: durationSchema.optional().meta({
      description:
        "Stop a preview's services after this long without requests; the next request wakes them. Default: never.",
    }),
    seed: seedSchema.optional(),
    snapshot: nameSchema.optional().meta({
      description:
        "Start new previews' dependency volumes from this snapshot (`devenv snapshot NAME` takes it from the local environment).",
    }),
  })
  .meta({ description: 'Settings for branch previews (`devenv preview up`).' });

export const devenvFileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'JSON Schema reference, for editors.' }),
    name: z.string().optional().meta({
      description: 'Project name, a DNS label (URLs, container names). Default: the folder name, slugged.',
    }),
    env_files: z
      .array(z.string())
      .default([])
      .meta({
        description:
          'Extra .env files (relative to devenv.yaml) layered after `.env`, `.env.local`, `.env.<mode>`, ' +
          '`.env.<mode>.local`. They feed `${VAR}` interpolation; the environment devenv runs in wins.',
      }),
    secrets: z.record(nameSchema, secretSchema).default({}).meta({
      description: 'Secrets, referenced in env values as `${secrets.NAME}`.',
    }),
    dependencies: z.record(nameSchema, dependencySchema).default({}).meta({
      description: 'Backing services (databases, caches, brokers, …) run as containers, by name.',
    }),
    services: z.record(nameSchema, serviceSchema).default({}).meta({
      description: "The repository's own services, by name.",
    }),
    profiles: z
      .record(nameSchema, z.array(nameSchema).min(1))
      .default({})
      .meta({
        description:
          'Named subsets of dependencies and services (what they depend on comes along). `devenv up` runs the ' +
          '`default` profile when there is one, else everything.',
      }),
    preview: previewSchema.optional(),
  })
  .meta({
    title: 'devenv.yaml',
    description: 'A repository’s development environment: dependencies, services, and how they connect.',
  });

export type DevenvFile = z.output<typeof devenvFileSchema>;
export type SecretConfig = z.output<typeof secretSchema>;
export type PreviewConfig = z.output<typeof previewSchema>;
