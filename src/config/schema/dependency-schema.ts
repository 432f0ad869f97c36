// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { z } from 'zod';
import { portsSchema } from './port-schemas.js';
import {
  commandSchema,
  dependsOnSchema,
  envMapSchema,
  imageSchema,
  nameSchema,
  volumesSchema,
} from './primitives.js';
import { readinessSchema } from './readiness-schema.js';

export const outputsSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lowercase output name (letters, digits, _)'),
    z.union([
      z.string(),
      z.strictObject({
        host: z
          .string()
          .meta({ description: 'Template for consumers on the host (local processes, `devenv env`).' }),
        network: z.string().meta({ description: 'Template for containers on the environment network.' }),
      }),
    ]),
  )
  .meta({
    description:
      'Values other services can read as `${name.KEY}`. Templates may use `${host}`, `${port}`, ' +
      '`${ports.NAME}` and `${env.NAME}`; host and port are filled in for whoever asks (a local process gets ' +
      '127.0.0.1 and the host port, a container the network alias and container port). Write ' +
      '`{host: …, network: …}` when the two need different shapes.',
  });

/** Fields a dependency shares with presets: presets are dependencies with a name, an image and outputs. */
export const dependencyFields = {
  image: imageSchema.optional(),
  command: commandSchema.optional().meta({ description: 'Overrides the image command.' }),
  env: envMapSchema.optional(),
  ports: portsSchema.optional(),
  volumes: volumesSchema.optional(),
  ready: readinessSchema.optional(),
  depends_on: dependsOnSchema.optional(),
  outputs: outputsSchema.optional(),
};

export const dependencySchema = z
  .strictObject({
    preset: nameSchema.optional().meta({
      description: 'Start from a preset (`devenv presets` lists them); fields given here override it.',
    }),
    version: z.union([z.string(), z.number()]).optional().meta({
      description: "Image tag to use instead of the preset's default, e.g. `16` for postgres.",
    }),
    ...dependencyFields,
  })
  .meta({
    description:
      'A backing service run as a container: from a `preset` (with an optional `version`) or a plain `image`.',
  });

export type DependencyConfig = z.output<typeof dependencySchema>;
