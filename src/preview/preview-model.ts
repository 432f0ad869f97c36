import { type ContainerService, isContainerService } from '../engine/container-entity.js';
import type { ResolvedDependency } from '../model/resolved-dependency.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ResolvedPort } from '../model/resolved-port.js';
import {
  containeriseService,
  type DependencyLayer,
  type ServiceFolderFacts,
} from './containerise-service.js';
import { PREVIEW_LABEL, previewId } from './preview-contract.js';
import { type PreviewServiceUrl, previewServiceUrls, previewUrlEnv } from './preview-urls.js';

/** A service of a preview: always a container, with what devenv adds to it. */
export interface PreviewService extends ContainerService {
  /** The generated Dockerfile of a containerised `run:` service; `undefined` for `build:`/`image:`. */
  dockerfileContents: string | undefined;
  /** Extra context rules of a generated build. */
  ignore: readonly string[];
  /** The image of its node_modules, built first when missing. */
  dependencyLayer: DependencyLayer | undefined;
  /** `DEVENV_URL`, `DEVENV_URL_<SERVICE>`: added to its env. */
  urlEnv: Readonly<Record<string, string>>;
  /** Its public host when it serves HTTP. */
  url: PreviewServiceUrl | undefined;
}

/** Everything `preview up` deploys, decided before touching the engine. */
export interface PreviewModel {
  id: string;
  branch: string;
  domain: string;
  /** The preview's environment: labels carry `devenv.preview`, every port is published on an engine-chosen host port. */
  environment: ResolvedEnvironment;
  dependencies: readonly ResolvedDependency[];
  services: readonly PreviewService[];
  urls: readonly PreviewServiceUrl[];
}

/**
 * A resolved preview environment (`loadEnvironment({ preview: true, branch })`) → what runs on the
 * preview host. Pure (folder facts are injected): throws `PREVIEW_UNSUPPORTED_RUNTIME` for a `run:`
 * service devenv cannot containerise, before anything is created.
 */
export function previewModel(
  resolved: ResolvedEnvironment,
  options: { branch: string; domain: string; folderFacts: (dir: string) => ServiceFolderFacts },
): PreviewModel {
  const id = previewId(resolved.project, options.branch);
  const labels = { ...resolved.labels, [PREVIEW_LABEL]: id };
  const urls = previewServiceUrls(resolved, options.branch, options.domain);
  const names = { project: resolved.project, env: resolved.env };

  const dependencies = resolved.dependencies.map((dependency) => ({
    ...dependency,
    labels: { ...dependency.labels, [PREVIEW_LABEL]: id },
    ports: engineChosen(dependency.ports),
  }));
  const services: PreviewService[] = resolved.services.map((service) => {
    const container = isContainerService(service)
      ? { ...service, dockerfileContents: undefined, ignore: [], dependencyLayer: undefined }
      : containeriseService(
          service,
          names,
          options.folderFacts(service.runtime.kind === 'process' ? service.runtime.cwd : resolved.projectDir),
        );
    return {
      ...container,
      labels: { ...container.labels, [PREVIEW_LABEL]: id },
      ports: engineChosen(container.ports),
      urlEnv: previewUrlEnv(urls, service.name, service.env.values),
      url: urls.find((url) => url.service === service.name),
    };
  });
  return {
    id,
    branch: options.branch,
    domain: options.domain,
    environment: { ...resolved, labels, dependencies, services },
    dependencies,
    services,
    urls,
  };
}

/** Many previews share one engine: the engine picks free host ports, devenv reads them back. */
function engineChosen(ports: readonly ResolvedPort[]): ResolvedPort[] {
  return ports.map((port) => ({ ...port, host: 0, hostSource: 'derived' }));
}
