import { DevenvError } from '../../errors/devenv-error.js';
import { engineError, enginePermissionError, engineUnreachableError } from '../runtime-errors.js';

/** How to phrase and classify a failure of one engine call. */
export interface ErrorContext {
  /** Completes "The Docker engine refused to …", e.g. `create container "db"`. */
  action: string;
  /** Where the engine is, for ENGINE_UNREACHABLE. */
  endpoint: string;
  /** The error for HTTP 404 (what was missing depends on the call). */
  onNotFound?: (cause: unknown) => DevenvError;
  /** The error for HTTP 409 (a conflict depends on the call). */
  onConflict?: (cause: unknown) => DevenvError;
}

// Socket-level failures: nothing listens, the socket file is missing, or the engine went away mid-call.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EACCES',
]);

/**
 * Translates a dockerode failure into devenv's typed errors: socket errors by their `code`, HTTP
 * failures by status first; only the message text of an unclassified status is passed on verbatim.
 */
export function mapDockerError(error: unknown, context: ErrorContext): Error {
  if (error instanceof DevenvError) return error;
  const code = errorCode(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return code === 'EACCES'
      ? enginePermissionError(context.endpoint, error)
      : engineUnreachableError(context.endpoint, `while trying to ${context.action}`, error);
  }
  const status = statusCode(error);
  if (status === 404 && context.onNotFound) return context.onNotFound(error);
  if (status === 409 && context.onConflict) return context.onConflict(error);
  return engineError(context.action, engineMessage(error), error);
}

/** The engine's own explanation (`{"message": …}` body), else the client's message. */
export function engineMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'json' in error) {
    const json = (error as { json: unknown }).json;
    if (typeof json === 'object' && json !== null && 'message' in json) return String(json.message);
    if (typeof json === 'string' && json.trim() !== '') return json.trim();
  }
  if (!(error instanceof Error)) return String(error);
  // For streamed calls docker-modem keeps no body, only its own "(HTTP code 500) server error - <engine text> ".
  return error.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

export function statusCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
