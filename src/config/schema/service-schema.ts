import { z } from 'zod';
import { servicePortSchema } from './port-schemas.js';
import { commandSchema, dependsOnSchema, envMapSchema, imageSchema, volumesSchema } from './primitives.js';
import { readinessSchema } from './readiness-schema.js';

const pathsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const watchRuleSchema = z
  .strictObject({
    paths: pathsSchema.meta({
      description: 'Files, folders or globs (relative to devenv.yaml) whose changes trigger the action.',
    }),
    ignore: z.array(z.string()).default([]).meta({
      description: 'Globs to leave out (node_modules and .git are always ignored).',
    }),
    action: z
      .enum(['restart', 'sync', 'rebuild', 'run'])
      .default('restart')
      .meta({
        description:
          '`restart`: restart the service; `sync`: copy changed files to `target` in the running container ' +
          '(the app reloads itself); `rebuild`: rebuild the image and recreate the container (build services); ' +
          '`run`: run `command`, then restart.',
      }),
    target: z.string().startsWith('/').optional().meta({
      description: 'For `sync`: the container path the watched paths are copied into.',
    }),
    command: commandSchema.optional().meta({
      description: 'For `run`: the command to run before restarting (e.g. `npm install`).',
    }),
  })
  .meta({ description: 'What to do when files change.' });

const buildSchema = z
  .union([
    z.string().min(1),
    z.strictObject({
      context: z.string().default('.').meta({ description: 'Build context, relative to devenv.yaml.' }),
      dockerfile: z.string().optional().meta({
        description: 'Dockerfile path, relative to the context. Default: `Dockerfile`.',
      }),
      target: z.string().optional().meta({ description: 'Multi-stage build target, e.g. `dev`.' }),
      args: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .optional()
        .meta({
          description: 'Build arguments.',
        }),
    }),
  ])
  .meta({
    description:
      'Build an image from a Dockerfile: a context path, or `{context, dockerfile, target, args}`.',
  });

export const serviceSchema = z
  .strictObject({
    run: commandSchema.optional().meta({
      description: 'Run as a local process with this command (e.g. `npm run dev`).',
    }),
    cwd: z.string().optional().meta({
      description: 'For `run`: working directory, relative to devenv.yaml. Default: its folder.',
    }),
    warm_start: z
      .boolean()
      .optional()
      .meta({
        description:
          "For `run` with a `node …` command: keep a paused Node process ready so a restart skips Node's " +
          'start-up (one idle Node process per service). Default: true; `false` turns it off.',
      }),
    build: buildSchema.optional(),
    image: imageSchema.optional(),
    command: commandSchema.optional().meta({ description: 'For containers: overrides the image command.' }),
    port: servicePortSchema.optional(),
    env: envMapSchema.optional(),
    volumes: volumesSchema.optional(),
    depends_on: dependsOnSchema.optional(),
    ready: readinessSchema.optional(),
    watch: z.array(watchRuleSchema).default([]).meta({ description: 'Hot-reload rules.' }),
    restart: z.enum(['no', 'on-failure', 'always']).default('on-failure').meta({
      description:
        'When to restart after the process exits: `no` (one-shot tasks), `on-failure` (non-zero exit), `always`.',
    }),
  })
  .meta({
    description:
      "The repository's own code: exactly one of `run` (local process), `build` (container from a Dockerfile) " +
      'or `image`.',
  });

export type ServiceConfig = z.output<typeof serviceSchema>;
export type WatchRuleConfig = z.output<typeof watchRuleSchema>;
