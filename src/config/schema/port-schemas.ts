// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { z } from 'zod';
import { portNumberSchema } from './primitives.js';

export const portSpecSchema = z
  .union([
    portNumberSchema,
    z.strictObject({
      container: portNumberSchema.meta({ description: 'Port inside the container.' }),
      host: portNumberSchema.optional().meta({
        description:
          'Fixed port on the host. Default: a stable port derived from project, environment, name and ' +
          'container port (range 20000–29999), so branch environments never clash.',
      }),
      protocol: z.enum(['tcp', 'udp']).default('tcp').meta({ description: 'Transport protocol.' }),
    }),
  ])
  .meta({ description: 'A container port (host port derived), or `{container, host, protocol}`.' });

/** Named, so outputs and readiness checks can refer to them (`${ports.smtp}`, `tcp: smtp`). */
export const portsSchema = z.record(z.string(), portSpecSchema).meta({
  description:
    'Published ports by name, e.g. `{postgres: 5432}`. The first one is the primary port (`${name.port}`).',
});

/** A service's single port: what its URL points at. */
export const servicePortSchema = z
  .union([
    portNumberSchema,
    z.literal('auto'),
    z.strictObject({
      container: portNumberSchema.meta({ description: 'Port the process listens on inside the container.' }),
      host: portNumberSchema.optional().meta({ description: 'Fixed host port. Default: derived.' }),
    }),
  ])
  .meta({
    description:
      'The port the service listens on (its URL points here). Local process: a fixed port, or `auto` for a ' +
      'stable derived one; it is passed as `PORT` unless env sets PORT. Container: the container port (host ' +
      'port derived) or `{container, host}`.',
  });
