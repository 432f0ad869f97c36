import {
  PREVIEW_HOST_LABEL,
  PREVIEW_LABEL,
  PREVIEW_PORT_LABEL,
  type PreviewRecord,
  previewEnvironmentName,
  previewHost,
  previewId,
  recordLabels,
} from '../preview/preview-contract.js';
import type { ObservedContainer, ObservedVolume } from '../runtime/observed-state.js';

/** Test data for the gateway's unit tests: records and containers as the engine would list them. */
export function testRecord(
  project: string,
  branch: string,
  overrides: Partial<PreviewRecord> & { serviceNames?: readonly string[] } = {},
): PreviewRecord {
  const domain = overrides.domain ?? 'preview.localhost:8080';
  const { serviceNames = ['web'], ...rest } = overrides;
  return {
    id: previewId(project, branch),
    project,
    env: previewEnvironmentName(branch),
    branch,
    commit: 'abc1234',
    created: new Date('2026-01-01T00:00:00Z'),
    updated: new Date('2026-01-01T00:00:00Z'),
    expires: new Date('2026-01-08T00:00:00Z'),
    access: 'private',
    secret: 'secret-of-the-preview',
    publicPaths: [],
    domain,
    idleSleepMinutes: 0,
    services: serviceNames.map((service) => ({
      service,
      host: previewHost(project, branch, service, domain),
    })),
    ...rest,
  };
}

export function recordVolume(record: PreviewRecord, name = `${record.id}-record`): ObservedVolume {
  return { name, labels: recordLabels(record) };
}

/** The labels a preview's service container carries (see `deployPreview`), serving container port 3000. */
export function previewServiceLabels(record: PreviewRecord, service: string): Record<string, string> {
  return {
    'devenv.project': record.project,
    'devenv.env': record.env,
    'devenv.kind': 'service',
    [PREVIEW_LABEL]: record.id,
    [PREVIEW_HOST_LABEL]:
      record.services.find((candidate) => candidate.service === service)?.host ?? 'unknown',
    [PREVIEW_PORT_LABEL]: '3000',
  };
}

export function serviceContainer(
  record: PreviewRecord,
  service: string,
  options: Partial<ObservedContainer> & { hostPort?: number; started?: string } = {},
): ObservedContainer {
  const { hostPort = 40_000, started = '2026-01-01T00:01:00Z', ...rest } = options;
  const state = rest.state ?? 'running';
  return {
    id: `${record.id}-${service}-${started}`,
    name: `${record.id}-${service}`,
    image: 'test',
    imageId: 'sha256:test',
    labels: previewServiceLabels(record, service),
    state,
    health: 'none',
    exitCode: undefined,
    ports:
      state === 'running' ? [{ container: 3000, protocol: 'tcp', hostIp: '127.0.0.1', host: hostPort }] : [],
    createdAt: new Date(started),
    startedAt: new Date(started),
    ...rest,
  };
}
