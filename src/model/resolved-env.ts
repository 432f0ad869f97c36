/**
 * Environment variables for one dependency or service, with every `${…}` resolved.
 * Anything that prints env (`devenv env`, `status --json`, logs of a plan) must redact `secretKeys`,
 * and nothing may write their values into generated files.
 */
export interface ResolvedEnv {
  values: Readonly<Record<string, string>>;
  /** Keys whose value contains a secret, directly or through another entity's output. */
  secretKeys: readonly string[];
}

/** The outputs other entities read as `${name.key}`, in the two views that exist. */
export interface ResolvedOutputs {
  /** As seen from the host (local processes, `devenv env`): `127.0.0.1` and host ports. */
  host: Readonly<Record<string, string>>;
  /** As seen from a container on the environment network: the network alias and container ports. */
  network: Readonly<Record<string, string>>;
  /** Output keys whose value contains a secret (e.g. a URL with a password): redact when printing. */
  secretKeys: readonly string[];
}
