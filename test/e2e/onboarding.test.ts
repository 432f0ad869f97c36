// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDevenv } from './run-devenv.js';

const dirs: string[] = [];

/** A temporary repository with the given files (nested paths allowed); removed after each test. */
function repo(files: Record<string, string>, name = 'Shop App'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'devenv-onboarding-')), name);
  dirs.push(dirname(dir));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const NODE_REPO = {
  'package.json': JSON.stringify({
    name: 'shop',
    scripts: { dev: 'node --watch server.js' },
    dependencies: { pg: '^8' },
  }),
  'server.js': 'require("http").createServer().listen(process.env.PORT);\n',
  '.env': 'PORT=3100\nDATABASE_URL=postgres://localhost:5432/shop\n',
};

const COMPOSE = `name: shop
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: secret
      POSTGRES_DB: shop
    ports: ["5432:5432"]
    volumes: [pgdata:/var/lib/postgresql/data, ./db/init.sql:/docker-entrypoint-initdb.d/init.sql]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
  redis:
    image: redis:7-alpine
  mailhog:
    image: mailhog/mailhog
    ports: ["8025:8025", "1025:1025"]
  api:
    build:
      context: ./api
      target: dev
    ports: ["8080:3000"]
    environment:
      - DATABASE_URL=postgres://postgres:secret@db:5432/shop
      - REDIS_URL=redis://redis:6379
      - SMTP_HOST=mailhog
      - API_TOKEN=\${API_TOKEN}
    env_file: api/.env.docker
    volumes: [./api/src:/app/src]
    depends_on:
      db: { condition: service_healthy }
      redis: { condition: service_started }
    networks: [internal]
    deploy: { resources: { limits: { memory: 256m } } }
networks:
  internal: {}
volumes:
  pgdata: {}
`;

describe('devenv init', () => {
  it('writes a valid devenv.yaml for a Node repository, with the schema line first, and says what to run next', () => {
    const dir = repo(NODE_REPO);
    const result = runDevenv(['-C', dir, 'init']);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ wrote devenv.yaml: project shop-app, 1 dependency, 1 service');
    expect(result.stdout).toContain('shop: `npm run dev`, port 3100');
    expect(result.stdout).toContain('Next: `devenv validate`, then `devenv up`');
    const text = readFileSync(join(dir, 'devenv.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/devenv/schema.json');
    expect(text).toContain('DATABASE_URL: ${db.url}');
    const validate = runDevenv(['-C', dir, 'validate']);
    expect(validate.stdout).toContain(
      'devenv.yaml is valid: project shop-app, 1 service (shop), 1 dependency (db)',
    );
    expect(validate.code).toBe(0);
  });

  it('refuses to overwrite devenv.yaml (exit 2) unless --force', () => {
    const dir = repo({ ...NODE_REPO, 'devenv.yaml': 'name: mine\n' });
    const refused = runDevenv(['-C', dir, 'init']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error devenv.yaml already exists; init does not overwrite it');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'devenv.yaml'), 'utf8')).toBe('name: mine\n');
    const forced = runDevenv(['-C', dir, 'init', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'devenv.yaml'), 'utf8')).toContain('run: npm run dev');
  });

  it('says why it cannot write the file (a folder that does not exist), exit 2, no stack trace', () => {
    const dir = repo(NODE_REPO);
    const result = runDevenv(['-C', dir, '-f', 'nope/devenv.yaml', 'init']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error cannot write nope/devenv.yaml');
    expect(result.stderr).not.toContain('bug in devenv');
  });

  it('--stdout prints the file and writes nothing, even when one exists', () => {
    const dir = repo({ ...NODE_REPO, 'devenv.yaml': 'name: mine\n' });
    const result = runDevenv(['-C', dir, 'init', '--stdout']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('# yaml-language-server: $schema=')).toBe(true);
    expect(result.stdout).toContain('name: shop-app');
    expect(result.stderr).toContain('devenv.yaml (not written)');
    expect(readFileSync(join(dir, 'devenv.yaml'), 'utf8')).toBe('name: mine\n');
    const dryRun = runDevenv(['-C', dir, 'init', '--dry-run']);
    expect(dryRun.stdout).toBe(result.stdout);
  });

  it('reuses the Compose import in a repository that has a compose.yaml', () => {
    const dir = repo({ 'compose.yaml': COMPOSE, 'api/.env.docker': 'LOG_LEVEL=debug\n', ...NODE_REPO });
    const result = runDevenv(['-C', dir, 'init']);
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, 'devenv.yaml'), 'utf8');
    expect(text).toContain('preset: postgres');
    expect(text).toContain('DATABASE_URL: ${db.url}');
    expect(runDevenv(['-C', dir, 'validate']).code).toBe(0);
  });
});

describe('devenv import compose', () => {
  it('converts a realistic Compose file into a valid devenv.yaml, warning about each setting it cannot carry over', () => {
    const dir = repo({ 'docker-compose.yml': COMPOSE, 'api/.env.docker': 'LOG_LEVEL=debug\n' });
    const result = runDevenv(['-C', dir, 'import', 'compose']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ wrote devenv.yaml: project shop, 3 dependencies, 1 service');
    expect(result.stdout).toContain('db: preset postgres 16');
    expect(result.stdout).toContain('mailhog: preset mailpit');
    for (const line of [
      'warning docker-compose.yml: services.db.volumes: bind mount ./db/init.sql',
      'warning docker-compose.yml: services.mailhog.image: `mailhog/mailhog` replaced by the mailpit preset',
      'warning docker-compose.yml: services.api.networks: not converted',
      'warning docker-compose.yml: services.api.deploy: not converted',
      'warning docker-compose.yml: services.api.volumes: bind mount ./api/src:/app/src became a `watch` rule',
      'warning docker-compose.yml: services.api: `API_TOKEN` is not set in .env',
      'warning docker-compose.yml: networks: not converted',
    ]) {
      expect(result.stderr).toContain(line);
    }
    const text = readFileSync(join(dir, 'devenv.yaml'), 'utf8');
    expect(text).toContain('version: "16"');
    expect(text).toContain('DATABASE_URL: ${db.url}');
    expect(text).toContain('REDIS_URL: ${redis.url}');
    expect(text).toContain('SMTP_HOST: ${mailhog.host}');
    expect(text).toContain('LOG_LEVEL: ${LOG_LEVEL}');
    expect(text).toContain('db: healthy');
    const validate = runDevenv(['-C', dir, 'validate']);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
  });

  it('keeps a required variable required: the file is written, and exit 2 says to set it', () => {
    const dir = repo({
      'compose.yaml':
        'services:\n  api:\n    build: .\n    environment: { API_TOKEN: "${API_TOKEN:?get one from the wiki}" }\n',
    });
    const result = runDevenv(['-C', dir, 'import', 'compose'], { env: { API_TOKEN: '' } });
    expect(result.stderr).toContain('note compose.yaml: services.api: `API_TOKEN` is required');
    expect(result.stderr).toContain('variable API_TOKEN is required: get one from the wiki');
    expect(result.code).toBe(2);
    expect(readFileSync(join(dir, 'devenv.yaml'), 'utf8')).toContain(
      'API_TOKEN: ${API_TOKEN:?get one from the wiki}',
    );
    const set = runDevenv(['-C', dir, 'validate'], { env: { API_TOKEN: 'x' } });
    expect(set.code).toBe(0);
  });

  it('takes a named file from another folder, with paths made relative to devenv.yaml', () => {
    const dir = repo({
      'docker/dev.yaml': 'services:\n  web:\n    build: ../web\n    ports: ["3000"]\n',
      'web/Dockerfile': 'FROM node:24\n',
    });
    const result = runDevenv(['-C', dir, 'import', 'compose', 'docker/dev.yaml', '--stdout']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('build: web');
    expect(existsSync(join(dir, 'devenv.yaml'))).toBe(false);
  });

  it('exits 2 without a Compose file, and on a file that is not one', () => {
    const empty = repo({});
    const missing = runDevenv(['-C', empty, 'import', 'compose']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error no Compose file in');
    expect(missing.stderr).toContain('compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml');
    const named = runDevenv(['-C', empty, 'import', 'compose', 'nope.yaml']);
    expect(named.code).toBe(2);
    const dir = repo({ 'compose.yaml': 'services: [oops\n' });
    const broken = runDevenv(['-C', dir, 'import', 'compose']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^compose\.yaml:\d+:\d+ error invalid YAML/m);
  });

  it('refuses to overwrite devenv.yaml', () => {
    const dir = repo({ 'compose.yaml': 'services:\n  db: { image: redis }\n', 'devenv.yaml': 'name: x\n' });
    const result = runDevenv(['-C', dir, 'import', 'compose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('devenv.yaml already exists; import compose does not overwrite it');
  });

  it('has --help for both commands', () => {
    const init = runDevenv(['init', '--help']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('--force');
    expect(init.stdout).toContain('--stdout');
    const compose = runDevenv(['import', 'compose', '--help']);
    expect(compose.code).toBe(0);
    expect(compose.stdout).toContain('devenv import compose [compose-file]');
    expect(runDevenv(['--help']).stdout).toContain('devenv init');
  });
});
