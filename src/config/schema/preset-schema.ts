import { z } from 'zod';
import { dependencyFields, outputsSchema } from './dependency-schema.js';
import { imageSchema } from './primitives.js';

/**
 * A preset file (`presets/*.yaml`): the dependency fields plus what makes it a reusable recipe.
 * Built from the same field schemas as a user's dependency, so presets and devenv.yaml cannot drift.
 */
export const presetSchema = z
  .strictObject({
    name: z.string().meta({ description: 'Name used as `preset: NAME`.' }),
    description: z.string().meta({ description: 'One line shown by `devenv presets`.' }),
    docs: z.url().optional().meta({ description: "Where the image's settings are documented." }),
    ...dependencyFields,
    image: imageSchema.meta({
      description: 'Official image and default tag, without a registry host (mirrors apply).',
    }),
    outputs: outputsSchema,
  })
  .meta({ description: 'A dependency preset.' });

export type Preset = z.output<typeof presetSchema>;
