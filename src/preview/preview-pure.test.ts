import { describe, expect, it } from 'vitest';
import type { ObservedContainer } from '../runtime/observed-state.js';
import { containeriseService, generatedDockerfile, serviceBaseImage } from './containerise-service.js';
import { PREVIEW_REVISION_LABEL, planServiceUpdate } from './plan-service-update.js';
import { type PreviewRecord, recordLabels } from './preview-contract.js';
import { newestRecords } from './preview-records.js';
import { previewState } from './preview-state.js';
import { previewUrlEnv, previewUrlVariable } from './preview-urls.js';
import { resolvePreviewDomain } from './resolve-preview-domain.js';

const record = (over: Partial<PreviewRecord> = {}): PreviewRecord => ({
  id: 'feat-a-12345678.shop',
  project: 'shop',
  env: 'preview-feat-a-12345678',
  branch: 'feat/a',
  commit: 'abc',
  created: new Date('2026-01-01T00:00:00Z'),
  updated: new Date('2026-01-01T00:00:00Z'),
  expires: new Date('2026-01-04T00:00:00Z'),
  access: 'private',
  secret: 's',
  publicPaths: [],
  domain: 'preview.localhost',
  idleSleepMinutes: 0,
  services: [{ service: 'api', host: 'api--feat-a-12345678.shop.preview.localhost' }],
  ...over,
});

const container = (over: Partial<ObservedContainer> & { id: string }): ObservedContainer => ({
  name: over.id,
  image: 'img',
  imageId: 'sha256:1',
  labels: {},
  state: 'running',
  health: 'none',
  exitCode: undefined,
  ports: [],
  createdAt: new Date(0),
  startedAt: new Date(0),
  ...over,
});

describe('resolvePreviewDomain', () => {
  it('takes the flag, then DEVENV_PREVIEW_DOMAIN, then devenv.yaml, then preview.localhost:8080', () => {
    expect(resolvePreviewDomain('A.example', { DEVENV_PREVIEW_DOMAIN: 'b' }, 'c')).toBe('a.example');
    expect(resolvePreviewDomain(undefined, { DEVENV_PREVIEW_DOMAIN: 'b.example' }, 'c')).toBe('b.example');
    expect(resolvePreviewDomain(undefined, {}, 'c.example:8080')).toBe('c.example:8080');
    expect(resolvePreviewDomain(undefined, { DEVENV_PREVIEW_DOMAIN: '' }, undefined)).toBe(
      'preview.localhost:8080',
    );
  });
});

describe('preview URL variables', () => {
  it('gives each service its own DEVENV_URL and every HTTP service’s DEVENV_URL_<SERVICE>; env: wins', () => {
    const urls = [
      { service: 'api-gw', host: 'h1', url: 'http://h1', port: 1 },
      { service: 'web', host: 'h2', url: 'http://h2', port: 2 },
    ];
    expect(previewUrlVariable('api-gw')).toBe('DEVENV_URL_API_GW');
    expect(previewUrlEnv(urls, 'web', { DEVENV_URL_API_GW: 'mine' })).toEqual({
      DEVENV_URL: 'http://h2',
      DEVENV_URL_WEB: 'http://h2',
    });
    expect(previewUrlEnv(urls, 'worker', {})).toEqual({
      DEVENV_URL_API_GW: 'http://h1',
      DEVENV_URL_WEB: 'http://h2',
    });
  });
});

describe('containerising run: services', () => {
  it('recognises Node commands, also behind sh -c and VAR= prefixes, or by package.json', () => {
    const none = { hasPackageJson: false };
    expect(serviceBaseImage(['node', 'server.js'], none)).toBe('node:24');
    expect(serviceBaseImage(['sh', '-c', 'PORT=1 npm run dev'], none)).toBe('node:24');
    expect(serviceBaseImage(['sh', '-c', 'python3 app.py'], none)).toBeUndefined();
    expect(serviceBaseImage(['./start'], { hasPackageJson: true })).toBe('node:24');
  });

  it('generates a Dockerfile that copies the folder last and installs only without node_modules', () => {
    const withModules = generatedDockerfile('node:24', ['node', 'a.js'], {
      hasPackageJson: true,
      hasNodeModules: true,
    });
    expect(withModules).toContain('FROM node:24');
    expect(withModules).not.toContain('npm ci');
    expect(withModules.trimEnd().split('\n').at(-1)).toBe('COPY . .');
    expect(withModules).toContain('CMD ["node","a.js"]');
    expect(generatedDockerfile('node:24', ['node'], { hasPackageJson: true })).toContain('npm ci');
  });

  it('refuses other runtimes, saying what to add', () => {
    const service = {
      kind: 'service' as const,
      name: 'worker',
      runtime: {
        kind: 'process' as const,
        command: ['sh', '-c', 'python3 w.py'],
        cwd: '/repo',
        warmStart: true,
      },
      port: undefined,
      watch: [],
      restart: 'no' as const,
      labels: {},
      configHash: 'h',
      ports: [],
      env: { values: {}, secretKeys: [] },
      outputs: { host: {}, network: {}, secretKeys: [] },
      dependsOn: [],
      readiness: undefined,
    };
    expect(() => containeriseService(service, { project: 'p', env: 'e' }, { hasPackageJson: false })).toThrow(
      /python3 w\.py/,
    );
    const node = containeriseService(
      { ...service, runtime: { ...service.runtime, command: ['node', 'w.js'] } },
      { project: 'p', env: 'e' },
      { hasPackageJson: false },
    );
    expect(node.runtime.source).toMatchObject({ kind: 'build', context: '/repo', tag: 'devenv/p-worker:e' });
  });
});

describe('planServiceUpdate', () => {
  it('keeps the oldest running container at the revision and removes the rest', () => {
    const at = (id: string, revision: string, ms: number, state: ObservedContainer['state'] = 'running') =>
      container({ id, labels: { [PREVIEW_REVISION_LABEL]: revision }, createdAt: new Date(ms), state });
    expect(planServiceUpdate([at('new', 'r2', 2), at('old', 'r2', 1), at('x', 'r1', 0)], 'r2')).toEqual({
      kind: 'keep',
      keep: 'old',
      remove: ['new', 'x'],
    });
    expect(planServiceUpdate([at('a', 'r1', 0), at('b', 'r2', 1, 'exited')], 'r2')).toEqual({
      kind: 'replace',
      old: ['a', 'b'],
    });
    expect(planServiceUpdate([], 'r')).toEqual({ kind: 'replace', old: [] });
  });
});

describe('newestRecords', () => {
  it('takes the newest record per preview and lists the superseded ones', () => {
    const older = { name: 'v1', labels: recordLabels(record()) };
    const newer = { name: 'v2', labels: recordLabels(record({ updated: new Date('2026-01-02T00:00:00Z') })) };
    const other = { name: 'v3', labels: recordLabels(record({ id: 'b.shop' })) };
    const { current, superseded } = newestRecords([older, newer, other, { name: 'data', labels: {} }]);
    expect(current.get('feat-a-12345678.shop')?.volume).toBe('v2');
    expect(current.get('b.shop')?.volume).toBe('v3');
    expect(superseded.map((item) => item.volume)).toEqual(['v1']);
  });
});

describe('previewState', () => {
  const now = new Date('2026-01-02T00:00:00Z');
  const host = {
    'devenv.preview.host': 'api--feat-a-12345678.shop.preview.localhost',
    'devenv.kind': 'service',
  };
  it('is running when every HTTP service has a running container', () => {
    expect(previewState(record(), [container({ id: 'a', labels: host })], now)).toBe('running');
  });
  it('is expired past its expiry, sleeping when everything is stopped, failed on a crash', () => {
    expect(previewState(record({ expires: now }), [], now)).toBe('expired');
    expect(
      previewState(record(), [container({ id: 'a', labels: host, state: 'exited', exitCode: 143 })], now),
    ).toBe('sleeping');
    expect(
      previewState(record(), [container({ id: 'a', labels: host, state: 'exited', exitCode: 1 })], now),
    ).toBe('failed');
  });
  it('is sleeping when idle sleep stopped the services and the dependencies still run', () => {
    const db = container({ id: 'db', labels: { 'devenv.kind': 'dependency' } });
    expect(
      previewState(record(), [db, container({ id: 'a', labels: host, state: 'exited', exitCode: 143 })], now),
    ).toBe('sleeping');
  });
  it('is building right after an update without service containers, failed long after', () => {
    expect(previewState(record({ updated: now }), [], now)).toBe('building');
    expect(previewState(record(), [], now)).toBe('failed');
  });
});
