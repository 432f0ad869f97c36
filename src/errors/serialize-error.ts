import type { SerializedError } from '../events/environment-event.js';
import { ConfigError } from './config-error.js';
import {
  BugError,
  DevenvError,
  type DevenvErrorOptions,
  ExternalError,
  InterruptedError,
  UsageError,
} from './devenv-error.js';

/** Flattens an error for the socket; anything that is not a DevenvError travels as a bug. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof DevenvError) {
    return {
      kind: error.kind,
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  }
  return { kind: 'bug', code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

/** Rebuilds the typed error on the client side so the CLI renders it exactly as a local one. */
export function deserializeError(error: SerializedError): DevenvError {
  const options: DevenvErrorOptions = error.hint === undefined ? {} : { hint: error.hint };
  switch (error.kind) {
    case 'usage':
      return new UsageError(error.code, error.message, options);
    case 'config':
      // Problems were already printed by whoever loaded the file; the summary is what travels.
      return new ConfigError([{ file: 'devenv.yaml', line: 0, col: 0, message: error.message }], options);
    case 'external':
      return new ExternalError(error.code, error.message, options);
    case 'interrupted':
      return new InterruptedError(error.message, options);
    case 'bug':
      return new BugError(error.code, error.message, options);
  }
}
