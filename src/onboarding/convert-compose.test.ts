// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { draftFromCompose } from './draft-from-compose.js';
import { generated, presets } from './onboarding-fixture.js';
import { parseComposeFile } from './parse-compose-file.js';

function convert(
  yaml: string,
  {
    vars = {},
    envFiles = {},
    dir = '.',
  }: { vars?: Record<string, string>; envFiles?: Record<string, string>; dir?: string } = {},
) {
  const compose = parseComposeFile(yaml, dir === '.' ? 'compose.yaml' : `${dir}/compose.yaml`, dir);
  const result = draftFromCompose(compose, {
    presets,
    vars: new Map(Object.entries(vars)),
    envFiles: new Map(Object.entries(envFiles)),
    folderName: 'My App',
  });
  // The project's .env holds `vars`, as it would on disk.
  const dotenv = Object.entries(vars)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
  const out = generated(result, [
    ...(dotenv === '' ? [] : [{ file: '.env', text: dotenv }]),
    ...Object.entries(envFiles).map(([file, text]) => ({ file, text })),
  ]);
  return { ...out, doc: parse(out.text) as Record<string, Record<string, Record<string, unknown>>>, result };
}

describe('convertCompose', () => {
  it('an image with a preset becomes `preset:` with the tag as version and only the env that differs', () => {
    const { doc, problems } = convert(`
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: devenv
      POSTGRES_PASSWORD: secret
      POSTGRES_DB: app
    volumes: [pgdata:/var/lib/postgresql/data]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
volumes:
  pgdata:
`);
    expect(problems).toEqual([]);
    expect(doc.dependencies?.db).toEqual({
      preset: 'postgres',
      version: '16-alpine',
      env: { POSTGRES_PASSWORD: 'secret' },
    });
  });

  it("keeps the image's own defaults where the preset chooses otherwise (postgres user and database)", () => {
    const { doc } = convert(
      'services:\n  db:\n    image: postgres\n    environment: [POSTGRES_PASSWORD=pw]\n',
    );
    expect(doc.dependencies?.db).toEqual({
      preset: 'postgres',
      env: { POSTGRES_USER: 'postgres', POSTGRES_DB: 'postgres', POSTGRES_PASSWORD: 'pw' },
    });
  });

  it('replaces MySQL by the MariaDB preset, renaming its variables, and says so', () => {
    const { doc, notes, problems } = convert(`
services:
  mysql:
    image: mysql:8.0
    environment:
      MYSQL_ROOT_PASSWORD: root
      MYSQL_DATABASE: shop
      MYSQL_ROOT_HOST: "%"
    ports: ["3306:3306", "33060:33060"]
`);
    expect(problems).toEqual([]);
    expect(doc.dependencies?.mysql).toEqual({
      preset: 'mariadb',
      env: { MARIADB_ROOT_PASSWORD: 'root', MARIADB_DATABASE: 'shop' },
    });
    expect(notes.join('\n')).toContain(
      'warning compose.yaml: services.mysql.image: `mysql:8.0` replaced by the mariadb preset',
    );
    expect(notes.join('\n')).toContain('MYSQL_ROOT_HOST left out');
    expect(notes.join('\n')).toContain('services.mysql.ports: 33060: the mariadb preset does not serve it');
  });

  it('other images become plain dependencies with ports, volumes and readiness', () => {
    const { doc, problems } = convert(`
services:
  search:
    image: getmeili/meilisearch:v1.15
    ports:
      - target: 7700
        published: 7700
        name: http
      - "9000"
    volumes:
      - type: volume
        source: meili_data
        target: /meili_data
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:7700/health"]
      interval: 2s
      retries: 10
      start_period: 30s
`);
    expect(problems).toEqual([]);
    expect(doc.dependencies?.search).toEqual({
      image: 'getmeili/meilisearch:v1.15',
      ports: { http: 7700, 'port-9000': 9000 },
      volumes: { 'meili-data': '/meili_data' },
      ready: { command: ['curl', '-f', 'http://localhost:7700/health'], interval: '2s', timeout: '60s' },
    });
  });

  it('build services keep context, dockerfile, target and args (paths relative to devenv.yaml)', () => {
    const { doc, problems } = convert(
      `
services:
  api:
    build:
      context: ../api
      dockerfile: Dockerfile.dev
      target: dev
      args: [NODE_VERSION=24, TOKEN]
      cache_from: [x]
    ports: ["8080:3000"]
    command: ["npm", "run", "dev"]
    restart: unless-stopped
`,
      { dir: 'docker' },
    );
    expect(problems).toEqual([]);
    expect(doc.services?.api).toEqual({
      build: {
        context: 'api',
        dockerfile: 'Dockerfile.dev',
        target: 'dev',
        args: { NODE_VERSION: '24', TOKEN: '${TOKEN:-}' },
      },
      command: ['npm', 'run', 'dev'],
      port: 3000,
      restart: 'always',
    });
  });

  it('maps depends_on conditions, making a `completed` target a one-shot task', () => {
    const { doc, problems, notes } = convert(`
services:
  db: { image: postgres:17 }
  cache: { image: redis:8 }
  migrate:
    image: migrate/migrate
    depends_on: [db]
  api:
    build: .
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_started, required: false }
      migrate: { condition: service_completed_successfully }
      search: { condition: service_healthy }
  search:
    image: getmeili/meilisearch
`);
    expect(problems).toEqual([]);
    expect(doc.services?.migrate).toEqual({ image: 'migrate/migrate', depends_on: ['db'], restart: 'no' });
    expect(doc.services?.api?.depends_on).toEqual({
      db: 'healthy',
      cache: 'started',
      migrate: 'completed',
      search: 'started',
    });
    expect(notes).toContainEqual(
      expect.stringContaining('services.api.depends_on.search: `search` has no readiness check'),
    );
    expect(notes).toContainEqual(expect.stringContaining('services.api.depends_on.cache: `required: false`'));
  });

  it('rewrites hostnames in env values to injected addresses', () => {
    const { doc, problems, notes } = convert(`
services:
  db:
    image: postgres:17
    environment: { POSTGRES_USER: u, POSTGRES_PASSWORD: p, POSTGRES_DB: app }
  cache: { image: redis }
  kafka: { image: bitnami/kafka:3.7 }
  web: { build: ./web, ports: ["3000"] }
  api:
    build: ./api
    environment:
      DATABASE_URL: postgresql://u:p@db:5432/app
      RO_URL: postgres://reader:p@db:5432/app
      REDIS_URL: redis://cache:6379
      KAFKA_BROKERS: kafka:9092
      WEB_URL: http://web:3000
      DB_HOST: db
      OTHER: http://db/metrics
      MODE: cache
`);
    expect(problems).toEqual([]);
    expect(doc.services?.api?.env).toEqual({
      DATABASE_URL: '${db.url}',
      RO_URL: 'postgres://reader:p@${db.host}:${db.port}/app',
      REDIS_URL: '${cache.url}',
      KAFKA_BROKERS: '${kafka.brokers}',
      WEB_URL: '${web.url}',
      DB_HOST: '${db.host}',
      OTHER: 'http://db/metrics',
      MODE: 'cache',
    });
    expect(notes).toContainEqual(
      expect.stringContaining(
        'services.api.environment.OTHER: `http://db/metrics` names the Compose service `db`',
      ),
    );
  });

  it('keeps the container port of a mapping whose host side is a range (host ports are not pinned anyway)', () => {
    const { doc, problems, notes } = convert(`
services:
  api:
    build: .
    ports:
      - target: 8000
        published: "8000-8001"
      - "9229:9229"
  web:
    build: ./web
    ports: ["3000-3001:3000", "4000-4001:4000-4001"]
`);
    expect(problems).toEqual([]);
    expect(doc.services?.api?.port).toBe(8000);
    expect(doc.services?.web?.port).toBe(3000);
    expect(notes.join('\n')).not.toContain('8000-8001` is not supported');
    expect(notes).toContainEqual(
      expect.stringContaining(
        'published host ports 8000-8001 (api), 9229 (api), 3000-3001 (web) are not pinned',
      ),
    );
    expect(notes).toContainEqual(
      expect.stringContaining(
        'warning compose.yaml: services.web.ports: port range `4000-4001:4000-4001` is not supported',
      ),
    );
  });

  it('does not warn about a value it rewrote whose URL scheme is the service name', () => {
    const { doc, notes } = convert(`
services:
  redis: { image: redis }
  api: { build: ., environment: { QUEUE_URL: "redis://redis:6379/0", LEFT: "redis://redis/1" } }
`);
    expect(doc.services?.api?.env).toMatchObject({ QUEUE_URL: 'redis://${redis.host}:${redis.port}/0' });
    expect(notes.join('\n')).not.toContain('environment.QUEUE_URL: `redis://${redis.host}');
    expect(notes).toContainEqual(
      expect.stringContaining(
        'environment.LEFT: `redis://redis/1` names the Compose service `redis` as a host',
      ),
    );
  });

  it('declares a port an env value reaches on a plain image', () => {
    const { doc, problems } = convert(`
services:
  search: { image: getmeili/meilisearch }
  api: { build: ., environment: { SEARCH: "http://search:7700" } }
`);
    expect(problems).toEqual([]);
    expect(doc.dependencies?.search).toEqual({ image: 'getmeili/meilisearch', ports: { 'port-7700': 7700 } });
    expect(doc.services?.api?.env).toEqual({ SEARCH: 'http://${search.host}:${search.port}' });
  });

  it('converts variables to devenv syntax; unset ones without a default become ${VAR:-} with a warning', () => {
    const { doc, problems, notes } = convert(
      `
services:
  api:
    build: .
    image: shop/api:\${TAG}
    ports: ["\${PORT:-3000}:3000"]
    environment:
      - KNOWN=$KNOWN
      - LEVEL=\${LEVEL:-info}
      - SECRET=\${SECRET}
      - PASSED
      - PRICE=$$5
`,
      { vars: { KNOWN: 'x', TAG: '1' } },
    );
    expect(problems).toEqual([]);
    expect(doc.services?.api?.env).toEqual({
      KNOWN: '${KNOWN}',
      LEVEL: '${LEVEL:-info}',
      SECRET: '${SECRET:-}',
      PASSED: '${PASSED:-}',
      PRICE: '$$5',
    });
    expect(notes).toContainEqual(
      expect.stringContaining('services.api: `SECRET`, `PASSED` are not set in .env'),
    );
  });

  it('keeps a required variable required, with a note saying so (Compose refuses to start without it)', () => {
    const { doc, notes, problems } = convert(`
services:
  api:
    build: .
    environment:
      API_TOKEN: \${API_TOKEN:?set API_TOKEN in .env}
      OTHER: \${OTHER?}
`);
    expect(doc.services?.api?.env).toEqual({
      API_TOKEN: '${API_TOKEN:?set API_TOKEN in .env}',
      OTHER: '${OTHER?}',
    });
    expect(notes.join('\n')).not.toContain('empty value');
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^info compose\.yaml: services\.api: `API_TOKEN`, `OTHER` are required: Compose refuses to start without them/,
      ),
    );
    // `devenv validate` says the same until they are set.
    expect(problems).toContainEqual(
      expect.stringContaining('variable API_TOKEN is required: set API_TOKEN in .env'),
    );
  });

  it('keeps variables in images (devenv interpolates `image:` and `version:` too)', () => {
    const { doc, problems, notes } = convert(
      `
services:
  web: { image: "ghcr.io/acme/web:\${TAG:-latest}" }
  db: { image: "postgres:\${PG_VERSION:-16}" }
  cache: { image: "redis:7" }
  seed: { image: "\${REGISTRY}/seed:1" }
  api: { build: ., depends_on: { seed: { condition: service_completed_successfully } } }
`,
      { vars: { REGISTRY: 'ghcr.io/acme' } },
    );
    expect(problems).toEqual([]);
    expect(doc.dependencies?.web).toMatchObject({ image: 'ghcr.io/acme/web:${TAG:-latest}' });
    expect(doc.dependencies?.db).toMatchObject({ preset: 'postgres', version: '${PG_VERSION:-16}' });
    expect(doc.dependencies?.cache).toMatchObject({ preset: 'redis', version: '7' });
    expect(doc.services?.seed).toMatchObject({ image: '${REGISTRY}/seed:1' });
    expect(notes.join('\n')).not.toContain('not set in .env');
  });

  it('env_file: listed in env_files and passed as ${NAME}; environment wins', () => {
    const { doc, problems, notes } = convert(
      `
services:
  api:
    build: .
    env_file: [api.env, { path: missing.env, required: false }, .env]
    environment: { A: direct }
`,
      { envFiles: { 'api.env': 'A=from-file\nB=2\n', '.env': 'C=3\n' } },
    );
    expect(problems).toEqual([]);
    expect(doc.env_files).toEqual(['api.env']);
    expect(doc.services?.api?.env).toEqual({ A: 'direct', B: '${B}', C: '${C}' });
    expect(notes.join('\n')).not.toContain('missing.env');
  });

  it('warns about every key it cannot carry over, naming the service and key', () => {
    const { notes, problems, doc } = convert(`
services:
  app:
    build: .
    entrypoint: /entry.sh
    networks: [front]
    deploy: { replicas: 2 }
    user: "1000"
    volumes:
      - ./src:/app/src
      - ./config.json:/app/config.json:ro
      - /app/node_modules
      - type: tmpfs
        target: /tmp
    ports: ["3000:3000", "9229:9229"]
  proxy:
    image: nginx
    volumes: [./nginx.conf:/etc/nginx/nginx.conf:ro]
    container_name: proxy
networks: { front: {} }
secrets: { key: { file: ./key } }
`);
    expect(problems).toEqual([]);
    const text = notes.join('\n');
    for (const key of ['entrypoint', 'networks', 'deploy', 'user'])
      expect(text).toContain(`warning compose.yaml: services.app.${key}: not converted`);
    expect(text).toContain(
      'warning compose.yaml: services.app.volumes: bind mount ./src:/app/src became a `watch` rule',
    );
    expect(text).toContain(
      'warning compose.yaml: services.app.volumes: bind mount ./config.json:/app/config.json is not supported',
    );
    expect(text).toContain('anonymous volume /app/node_modules left out');
    expect(text).toContain('tmpfs /tmp is not supported');
    expect(text).toContain('services.app.ports: 9229: a devenv service has one port');
    expect(text).toContain('warning compose.yaml: services.proxy.volumes: bind mount ./nginx.conf');
    expect(text).toContain('info compose.yaml: services.proxy.container_name');
    expect(text).toContain('warning compose.yaml: networks: not converted');
    expect(text).toContain('warning compose.yaml: secrets: not converted');
    expect(doc.services?.app?.watch).toEqual([{ paths: 'src', action: 'sync', target: '/app/src' }]);
  });

  it('network_mode: names the value, and warns only where it changes behaviour', () => {
    const { notes } = convert(`
services:
  a: { image: nginx, network_mode: bridge }
  b: { image: nginx, network_mode: host }
  c: { image: nginx, network_mode: none }
  d: { image: nginx, network_mode: "service:a" }
`);
    const lines = notes.filter((n) => n.includes('network_mode'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^info compose\.yaml: services\.a\.network_mode: `bridge` /);
    expect(lines[0]).not.toContain('`host`');
    expect(lines[1]).toMatch(
      /^warning compose\.yaml: services\.b\.network_mode: `host` networking is not supported/,
    );
    expect(lines[2]).toMatch(/^warning compose\.yaml: services\.c\.network_mode: `none` /);
    expect(lines[3]).toMatch(/^warning compose\.yaml: services\.d\.network_mode: `service:a` /);
  });

  it('renames services that are not DNS labels or are reserved, and keeps references right', () => {
    const { doc, problems } = convert(`
services:
  Main_DB: { image: postgres:17, environment: { POSTGRES_PASSWORD: x } }
  env: { build: ., environment: { URL: "postgres://postgres:x@Main_DB:5432/postgres" }, depends_on: [Main_DB] }
`);
    expect(problems).toEqual([]);
    expect(Object.keys(doc.dependencies ?? {})).toEqual(['main-db']);
    expect(doc.services?.['env-svc']).toEqual({
      build: '.',
      env: { URL: '${main-db.url}' },
      depends_on: ['main-db'],
    });
  });

  it('turns Compose profiles into devenv profiles', () => {
    const { doc, problems } = convert(`
services:
  api: { build: . }
  debug: { image: busybox, profiles: [tools] }
`);
    expect(problems).toEqual([]);
    expect(doc.profiles).toEqual({ default: ['api'], tools: ['api', 'debug'] });
  });

  it('maps develop.watch to watch rules', () => {
    const { doc, problems } = convert(`
services:
  web:
    build: ./web
    develop:
      watch:
        - { path: ./web/src, action: sync, target: /app/src, ignore: [node_modules/] }
        - { path: ./web/package.json, action: rebuild }
`);
    expect(problems).toEqual([]);
    expect(doc.services?.web?.watch).toEqual([
      { paths: 'web/src', action: 'sync', target: '/app/src', ignore: ['node_modules/'] },
      { paths: 'web/package.json', action: 'rebuild' },
    ]);
  });

  it('uses the Compose project name, slugged', () => {
    expect(convert('name: Shop_App\nservices: { a: { image: redis } }\n').doc.name).toBe('shop-app');
    expect(convert('services: { a: { image: redis } }\n').doc.name).toBe('my-app');
  });

  it('reports YAML errors and a missing services map with positions', () => {
    expect(() => parseComposeFile('services:\n  a: [\n', 'compose.yaml', '.')).toThrow('1 problem');
    expect(() => parseComposeFile('version: "3"\n', 'compose.yaml', '.')).toThrow('1 problem');
  });

  it('reports YAML that parses but cannot become data (a merged scalar) as a problem of the file', () => {
    const merged = 'x: &x 1\nservices:\n  a:\n    <<: *x\n';
    expect(() => parseComposeFile(merged, 'compose.yaml', '.')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        problems: [
          expect.objectContaining({
            file: 'compose.yaml',
            message: expect.stringMatching(/^invalid YAML: /),
          }),
        ],
      }),
    );
  });

  it('applies anchors and merge keys', () => {
    const { doc, problems } = convert(`
x-env: &env
  LOG_LEVEL: debug
services:
  api:
    build: .
    environment:
      <<: *env
      A: "1"
`);
    expect(problems).toEqual([]);
    expect(doc.services?.api?.env).toEqual({ LOG_LEVEL: 'debug', A: '1' });
  });
});
