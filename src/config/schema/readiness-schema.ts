import { z } from 'zod';
import { commandSchema, durationSchema, portNumberSchema } from './primitives.js';

const portRef = z.union([portNumberSchema, z.string()]).meta({
  description: 'A container port number, or the name of a port declared in `ports`.',
});

/** Exactly one probe kind is allowed; the rules check that with a position rather than a union error. */
export const readinessSchema = z
  .strictObject({
    command: commandSchema.optional().meta({
      description: 'Ready when this command exits 0 (inside the container; on the host for local processes).',
    }),
    tcp: portRef.optional().meta({ description: 'Ready when this port accepts TCP connections.' }),
    http: z
      .union([
        z.string().startsWith('/'),
        z.strictObject({
          path: z.string().startsWith('/').default('/').meta({ description: 'Request path.' }),
          port: portRef.optional().meta({ description: 'Port to ask. Default: the primary port.' }),
          status: z.int().min(100).max(599).optional().meta({
            description: 'Expected status. Default: any 2xx or 3xx.',
          }),
        }),
      ])
      .optional()
      .meta({ description: 'Ready when GET on this path (e.g. `/healthz`) answers 2xx/3xx.' }),
    log: z.string().min(1).optional().meta({
      description: 'Ready when a log line contains this text (or matches it, when written as `/regex/`).',
    }),
    interval: durationSchema.default('1s').meta({ description: 'Time between attempts.' }),
    timeout: durationSchema.default('60s').meta({
      description: 'Give up (and report the last failure) when not ready after this long.',
    }),
  })
  .meta({
    description: 'How to tell it is ready to serve: exactly one of `command`, `tcp`, `http`, `log`.',
  });
