import { DevenvError, type ErrorKind } from './devenv-error.js';

/** Exit codes are part of the command contract (PRODUCT.md): 0 success, 1 failure, 2 usage/config, 130 interrupted. */
export const ExitCode = {
  success: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
} as const;

const byKind: Record<ErrorKind, number> = {
  usage: ExitCode.usage,
  config: ExitCode.usage,
  external: ExitCode.failure,
  bug: ExitCode.failure,
  interrupted: ExitCode.interrupted,
};

export function exitCodeFor(error: unknown): number {
  return error instanceof DevenvError ? byKind[error.kind] : ExitCode.failure;
}
