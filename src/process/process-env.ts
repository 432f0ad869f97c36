/** Variables devenv uses to configure itself; a service inheriting them would confuse a nested devenv. */
const INTERNAL_PREFIX = 'DEVENV_';

/**
 * The environment of a service's process: the user's environment (so `PATH`, `HOME`, nvm and friends
 * work as in their shell) minus devenv's own settings, then the service's resolved env, then `PORT`
 * when the service has a port and its env does not set one.
 */
export function buildProcessEnv(
  base: NodeJS.ProcessEnv,
  serviceEnv: Readonly<Record<string, string>>,
  port: number | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !key.startsWith(INTERNAL_PREFIX)) env[key] = value;
  }
  Object.assign(env, serviceEnv);
  if (port !== undefined && !Object.hasOwn(serviceEnv, 'PORT')) env.PORT = String(port);
  return env;
}
