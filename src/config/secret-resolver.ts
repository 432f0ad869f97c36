/**
 * Where a secret's value comes from, after interpolation and path resolution. `env` secrets are read by
 * the pure core from the environment it is given; `file` and `command` need I/O and go through the
 * injected `SecretResolver` (the real one is `adapters/read-secret.ts`).
 */
export type SecretSource =
  | { kind: 'file' /** Absolute path, outside the repository. */; path: string }
  | {
      kind: 'command' /** argv */;
      command: readonly string[] /** Absolute directory it runs in. */;
      cwd: string;
    };

export type SecretResult = { ok: true; value: string } | { ok: false; reason: string };

export type SecretResolver = (name: string, source: SecretSource) => SecretResult;

/** For tests and for `validate --offline` style callers: every file/command secret fails with a reason. */
export const noSecrets: SecretResolver = (name) => ({
  ok: false,
  reason: `secret ${name} is not available here`,
});
