import { DEFAULT_PREVIEW_DOMAIN } from './preview-contract.js';

/**
 * The base domain of preview hosts: `--domain`, then `DEVENV_PREVIEW_DOMAIN`, then devenv.yaml's
 * `preview.domain`, then `preview.localhost:8080` (which browsers resolve to loopback). Pure.
 */
export function resolvePreviewDomain(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  file: string | undefined,
): string {
  const chosen = [flag, env.DEVENV_PREVIEW_DOMAIN, file].find(
    (value): value is string => value !== undefined && value.trim() !== '',
  );
  return (chosen ?? DEFAULT_PREVIEW_DOMAIN)
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
}
