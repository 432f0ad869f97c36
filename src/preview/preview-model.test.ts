import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import { previewModel } from './preview-model.js';

const YAML = `
name: shop
dependencies:
  db: { preset: postgres }
services:
  api:
    run: node server.js
    port: 3000
    env:
      DATABASE_URL: \${db.url}
  web:
    build: ./web
    port: 8080
    env:
      API: \${api.url}
preview:
  public_paths: [/webhooks/]
  idle_sleep: 30m
  seed: { dependency: db, sql: seed.sql }
  snapshot: demo
`;

describe('previewModel', () => {
  const { environment, problems } = resolveText(YAML, { branch: 'feat/login', preview: true });
  const model =
    environment &&
    previewModel(environment, {
      branch: 'feat/login',
      domain: 'preview.example.com',
      folderFacts: () => ({ hasPackageJson: true, hasNodeModules: true }),
    });

  it('is its own environment, labelled with the preview id', () => {
    expect(problems).toEqual([]);
    expect(model?.environment.env).toMatch(/^preview-feat-login-[0-9a-f]{8}$/);
    expect(model?.id).toMatch(/^feat-login-[0-9a-f]{8}\.shop$/);
    expect(model?.environment.labels['devenv.preview']).toBe(model?.id);
    expect(model?.dependencies[0]?.labels['devenv.preview']).toBe(model?.id);
  });

  it('runs every service as a container reaching the others by network name, on engine-chosen ports', () => {
    const api = model?.services.find((service) => service.name === 'api');
    expect(api?.runtime.source).toMatchObject({ kind: 'build', dockerfile: '.devenv-preview.Dockerfile' });
    expect(api?.dockerfileContents).toContain('FROM node:24');
    expect(api?.env.values.DATABASE_URL).toBe('postgres://devenv:devenv@db:5432/app');
    expect(model?.services.find((service) => service.name === 'web')?.env.values.API).toBe('http://api:3000');
    expect(
      [...(model?.services ?? []), ...(model?.dependencies ?? [])].flatMap((e) => e.ports.map((p) => p.host)),
    ).toEqual([0, 0, 0]);
  });

  it('knows every URL before deploying and injects them', () => {
    const api = model?.services.find((service) => service.name === 'api');
    expect(api?.url?.host).toMatch(/^api--feat-login-[0-9a-f]{8}\.shop\.preview\.example\.com$/);
    expect(api?.urlEnv.DEVENV_URL).toBe(`http://${api?.url?.host}`);
    expect(Object.keys(api?.urlEnv ?? {}).sort()).toEqual(['DEVENV_URL', 'DEVENV_URL_API', 'DEVENV_URL_WEB']);
  });

  it('resolves the preview settings', () => {
    expect(environment?.preview).toMatchObject({
      publicPaths: ['/webhooks/'],
      idleSleepMs: 1_800_000,
      snapshot: 'demo',
      seed: { kind: 'sql', target: 'db', file: '/work/app/seed.sql' },
    });
  });
});
