// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { draftFromRepo } from './draft-from-repo.js';
import { generated, presets } from './onboarding-fixture.js';
import { parseComposeFile } from './parse-compose-file.js';
import { SCHEMA_LINE } from './render-devenv-yaml.js';
import type { PackageFacts, RepoFacts } from './repo-facts.js';

function pkg(dir: string, scripts: Record<string, string>, more: Partial<PackageFacts> = {}): PackageFacts {
  return { dir, scripts, dependencies: [], readsPortEnv: false, ...more };
}

function init(facts: Partial<RepoFacts>) {
  const result = draftFromRepo(
    {
      folderName: 'Shop',
      packageManager: 'npm',
      packages: [],
      unexpandedWorkspaces: [],
      dockerfiles: [],
      envFiles: [],
      ...facts,
    },
    presets,
  );
  const out = generated(result);
  return { ...out, doc: parse(out.text) as Record<string, Record<string, Record<string, unknown>>>, result };
}

describe('draftFromRepo', () => {
  it('a Node app: its dev script, a port from .env, dependencies from .env wired as outputs', () => {
    const { doc, text, problems } = init({
      packages: [
        pkg(
          '.',
          { dev: 'nodemon src/index.js', start: 'node src/index.js' },
          { name: '@acme/api', dependencies: ['pg'] },
        ),
      ],
      envFiles: [
        {
          path: '.env',
          text: 'PORT=4000\nDATABASE_URL=postgres://localhost/shop\nREDIS_URL=redis://localhost\n',
        },
      ],
    });
    expect(problems).toEqual([]);
    expect(text.split('\n')[0]).toBe(`# ${SCHEMA_LINE}`);
    expect(doc.name).toBe('shop');
    expect(doc.dependencies).toEqual({ db: { preset: 'postgres' }, redis: { preset: 'redis' } });
    expect(doc.services?.api).toEqual({
      run: 'npm run dev',
      port: 4000,
      env: { DATABASE_URL: '${db.url}', REDIS_URL: '${redis.url}' },
      watch: [{ paths: 'package.json', action: 'run', command: 'npm install' }],
    });
    expect(text).toContain('# The "dev" script of package.json. Port: PORT in .env.');
  });

  it('takes the port as devenv reads the .env layers: .env.local over .env, an example only without them', () => {
    const scripts = [pkg('.', { dev: 'nodemon src/index.js' }, { name: 'api' })];
    const port = (envFiles: { path: string; text: string }[]) =>
      init({ packages: scripts, envFiles }).doc.services?.api?.port;
    expect(
      port([
        { path: '.env', text: 'PORT=3000\n' },
        { path: '.env.local', text: 'PORT=4000\n' },
      ]),
    ).toBe(4000);
    expect(port([{ path: '.env.example', text: 'PORT=5000\n' }])).toBe(5000);
    expect(
      port([
        { path: '.env', text: 'PORT=3000\n' },
        { path: '.env.example', text: 'PORT=5000\n' },
      ]),
    ).toBe(3000);
  });

  it('a plain `node` start script runs directly (warm start) and is restarted on changes', () => {
    const { doc, problems } = init({
      packageManager: 'pnpm',
      packages: [pkg('.', { start: 'node server.js' }, { readsPortEnv: true })],
    });
    expect(problems).toEqual([]);
    expect(doc.services?.app).toEqual({
      run: 'node server.js',
      port: 'auto',
      watch: [{ paths: '.' }, { paths: 'package.json', action: 'run', command: 'pnpm install' }],
    });
  });

  it('a monorepo: each workspace with a script, not the root orchestrator; a library package dependency adds a preset', () => {
    const { doc, problems, notes } = init({
      packages: [
        pkg('.', { dev: 'turbo run dev' }),
        pkg('apps/web', { dev: 'next dev' }),
        pkg('apps/api', { dev: 'tsx watch src/main.ts' }, { dependencies: ['mongoose'] }),
        pkg('packages/ui', { build: 'tsc' }),
      ],
    });
    expect(problems).toEqual([]);
    expect(Object.keys(doc.services ?? {})).toEqual(['web', 'api']);
    expect(doc.services?.web).toMatchObject({ run: 'npm run dev', cwd: 'apps/web', port: 3000 });
    expect(doc.dependencies).toEqual({ mongo: { preset: 'mongodb' } });
    expect(notes).toContainEqual(
      expect.stringContaining('package.json: scripts.dev: not added: it starts the workspaces'),
    );
  });

  it('a library adds its preset with a note naming its package.json, but no second database where .env chose one', () => {
    const { doc, problems, notes } = init({
      packages: [
        pkg('.', { dev: 'turbo run dev' }),
        pkg('apps/api', { dev: 'tsx watch src/main.ts' }, { dependencies: ['pg', 'ioredis'] }),
        pkg('apps/web', { dev: 'next dev' }),
      ],
      envFiles: [{ path: 'apps/api/.env', text: 'DATABASE_URL=mysql://u:p@localhost:3306/shop\n' }],
    });
    expect(problems).toEqual([]);
    expect(doc.dependencies).toEqual({ db: { preset: 'mariadb' }, redis: { preset: 'redis' } });
    expect(doc.services?.api?.env).toEqual({ DATABASE_URL: '${db.url}' });
    expect(notes).toContainEqual(
      expect.stringContaining('info apps/api/package.json: ioredis: added the redis preset as `redis`'),
    );
    expect(notes).toContainEqual(
      expect.stringContaining(
        'info apps/api/package.json: pg: not added: DATABASE_URL in apps/api/.env chose the mariadb preset',
      ),
    );
    expect(notes.join('\n')).not.toMatch(/^info package\.json: (pg|ioredis)/m);
  });

  it('Dockerfiles of folders without a script become build services with EXPOSE and a dev stage', () => {
    const { doc, problems } = init({
      dockerfiles: [
        { path: 'worker/Dockerfile', text: 'FROM python:3.12 AS base\nFROM base AS dev\nEXPOSE 8000\n' },
        { path: 'Dockerfile', text: 'FROM node:24\n' },
      ],
    });
    expect(problems).toEqual([]);
    expect(doc.services?.worker).toEqual({
      build: { context: 'worker', target: 'dev' },
      port: 8000,
      watch: [{ paths: 'worker', action: 'rebuild' }],
    });
    expect(doc.services?.shop).toEqual({ build: '.', watch: [{ paths: '.', action: 'rebuild' }] });
  });

  it(".env hints are wired into Dockerfile services too: root files into every service, a folder's into its own", () => {
    const { doc, problems, notes } = init({
      dockerfiles: [
        { path: 'Dockerfile', text: 'FROM python:3.12\nEXPOSE 8000\n' },
        { path: 'worker/Dockerfile', text: 'FROM python:3.12\n' },
      ],
      envFiles: [
        { path: '.env', text: 'DATABASE_URL=postgres://u:p@db:5432/x\n' },
        { path: 'worker/.env', text: 'REDIS_URL=redis://localhost:6379\n' },
      ],
    });
    expect(problems).toEqual([]);
    expect(doc.dependencies).toEqual({ db: { preset: 'postgres' }, redis: { preset: 'redis' } });
    expect(doc.services?.shop?.env).toEqual({ DATABASE_URL: '${db.url}' });
    expect(doc.services?.worker?.env).toEqual({ DATABASE_URL: '${db.url}', REDIS_URL: '${redis.url}' });
    expect(notes).toContainEqual(
      expect.stringContaining(".env: DATABASE_URL: wired to the postgres preset's `url`"),
    );
  });

  it('an existing Compose file is converted; its presets are reused for .env hints, its build folders not added twice', () => {
    const compose = parseComposeFile(
      'services:\n  postgres: { image: "postgres:16", environment: { POSTGRES_PASSWORD: pw } }\n  api: { build: ./api, ports: ["3000:3000"] }\n',
      'compose.yaml',
      '.',
    );
    const { doc, problems } = init({
      compose: { file: compose, envFiles: new Map() },
      packages: [pkg('api', { dev: 'nodemon' }), pkg('web', { dev: 'vite' })],
      envFiles: [{ path: 'web/.env.example', text: 'DATABASE_URL=\n' }],
    });
    expect(problems).toEqual([]);
    expect(Object.keys(doc.dependencies ?? {})).toEqual(['postgres']);
    expect(Object.keys(doc.services ?? {})).toEqual(['api', 'web']);
    expect(doc.services?.api?.build).toBe('api');
    expect(doc.services?.web?.env).toEqual({ DATABASE_URL: '${postgres.url}' });
  });

  it('an empty folder still gives a valid file naming the project', () => {
    const { doc, problems, notes } = init({ folderName: 'Empty Repo!' });
    expect(problems).toEqual([]);
    expect(doc).toEqual({ name: 'empty-repo' });
    expect(notes).toContainEqual(expect.stringContaining('found no scripts'));
  });
});
