import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import { previewHost, previewUrl } from './preview-contract.js';

/** One HTTP service of a preview: its host (the gateway routes it) and URL, known before any deploy. */
export interface PreviewServiceUrl {
  service: string;
  host: string;
  url: string;
  /** The container port the gateway proxies to. */
  port: number;
}

/** Every service with a port gets a host; in the order of devenv.yaml's start order. Pure. */
export function previewServiceUrls(
  environment: Pick<ResolvedEnvironment, 'project' | 'services'>,
  branch: string,
  domain: string,
): PreviewServiceUrl[] {
  return environment.services.flatMap((service) => {
    const port = service.ports[0]?.container;
    if (port === undefined) return [];
    return [
      {
        service: service.name,
        host: previewHost(environment.project, branch, service.name, domain),
        url: previewUrl(environment.project, branch, service.name, domain),
        port,
      },
    ];
  });
}

/** `DEVENV_URL_API_GATEWAY` for service `api-gateway`. */
export function previewUrlVariable(service: string): string {
  return `DEVENV_URL_${service.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The URL variables of one service's container: `DEVENV_URL` (its own public URL, for links and
 * redirects it renders) and `DEVENV_URL_<SERVICE>` for every HTTP service of the preview. A service's
 * own `env:` wins over them.
 */
export function previewUrlEnv(
  urls: readonly PreviewServiceUrl[],
  service: string,
  explicit: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  const own = urls.find((url) => url.service === service);
  if (own !== undefined) env.DEVENV_URL = own.url;
  for (const url of urls) env[previewUrlVariable(url.service)] = url.url;
  return Object.fromEntries(Object.entries(env).filter(([key]) => !Object.hasOwn(explicit, key)));
}
