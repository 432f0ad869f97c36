import { describe, expect, it } from 'vitest';
import type { ResolvedService, ServiceRuntime } from '../model/resolved-service.js';
import type { ResolvedWatchRule } from '../model/resolved-watch-rule.js';
import { configFilesOf } from './config-files.js';
import type { FileChangeKind } from './file-change.js';
import { formatWatchPlan } from './format-watch-plan.js';
import { planWatchActions } from './plan-watch-actions.js';
import { watchKeepPaths } from './watch-keep-paths.js';

const ALWAYS = ['**/node_modules/**', '**/.git/**'];
const PROCESS: ServiceRuntime = {
  kind: 'process',
  command: ['npm', 'run', 'dev'],
  cwd: '/repo/web',
  warmStart: true,
};
const CONTAINER: ServiceRuntime = {
  kind: 'container',
  containerName: 'shop-default-api',
  source: { kind: 'image', image: 'node:24' },
  command: undefined,
  volumes: [],
};

function rule(
  paths: string[],
  action: ResolvedWatchRule['action'] = { kind: 'restart' },
  ignore: string[] = [],
) {
  return { paths, ignore: [...ALWAYS, ...ignore], action };
}

function service(name: string, watch: ResolvedWatchRule[], runtime = PROCESS): ResolvedService {
  return {
    kind: 'service',
    name,
    runtime,
    watch,
    port: undefined,
    restart: 'on-failure',
    labels: {},
    configHash: 'h',
    ports: [],
    env: { values: {}, secretKeys: [] },
    outputs: { host: {}, network: {}, secretKeys: [] },
    dependsOn: [],
    readiness: undefined,
  };
}

/** The example from docs/devenv-yaml.md, trimmed to what watching needs. */
const SHOP = [
  service(
    'api',
    [
      rule(['api/src'], { kind: 'sync', target: '/app/src' }),
      rule(['api/package.json', 'api/Dockerfile'], { kind: 'rebuild' }),
    ],
    CONTAINER,
  ),
  service('web', [
    rule(['web/package.json'], { kind: 'run', command: ['npm', 'install'] }),
    rule(['web/src']),
  ]),
  service('worker', [rule(['worker/src/**/*.js'], { kind: 'restart' }, ['**/*.test.js'])]),
];

function plan(changes: Array<[string, FileChangeKind?]>, services = SHOP) {
  return formatWatchPlan(
    planWatchActions({
      batch: {
        changes: changes.map(([path, kind]) => ({ path, kind: kind ?? 'change', at: 7 })),
        firstAt: 7,
        lastAt: 9,
      },
      services,
      projectDir: '/repo',
      configFiles: [
        '/repo/devenv.yaml',
        ...configFilesOf({
          projectDir: '/repo',
          configFile: '/repo/devenv.yaml',
          mode: 'development',
          envFiles: ['config/shared.env'],
        }),
      ],
    }),
  );
}

describe('planWatchActions', () => {
  it('touches only the services whose rules match', () => {
    expect(plan([['worker/src/jobs/mail.js']])).toBe('worker: restart (worker/src/jobs/mail.js)');
    expect(plan([['README.md'], ['docs/a.md']])).toBe('');
  });

  it('applies globs and ignores relative to the project folder', () => {
    expect(
      plan([['worker/src/a.test.js'], ['worker/src/lib/a.ts'], ['worker/node_modules/x/index.js']]),
    ).toBe('');
    expect(plan([['worker/src/.hidden.js']])).toBe('worker: restart (worker/src/.hidden.js)');
  });

  it('syncs changed files to their place in the container and lists deleted ones for removal', () => {
    expect(
      plan([['api/src/routes/orders.ts'], ['api/src/old.ts', 'unlink'], ['api/src/new.ts', 'add']]),
    ).toBe(
      'api: sync api/src/new.ts → /app/src/new.ts, api/src/routes/orders.ts → /app/src/routes/orders.ts, delete /app/src/old.ts',
    );
  });

  it('does one action per service, the strongest: rebuild > run > sync > restart', () => {
    expect(plan([['api/src/a.ts'], ['api/package.json']])).toBe(
      'api: rebuild (api/package.json, api/src/a.ts)',
    );
    expect(plan([['web/src/App.tsx'], ['web/package.json']])).toBe(
      'web: run `npm install`, then restart (web/package.json, web/src/App.tsx)',
    );
  });

  it('keeps what weaker rules need: files synced before a run, a restart after a sync', () => {
    const mixed = service(
      'api',
      [
        rule(['api/src'], { kind: 'sync', target: '/app/src' }),
        rule(['api/package.json'], { kind: 'run', command: ['npm', 'ci'] }),
        rule(['api/config'], { kind: 'restart' }),
      ],
      CONTAINER,
    );
    expect(plan([['api/src/a.ts'], ['api/package.json']], [mixed])).toBe(
      'api: sync api/src/a.ts → /app/src/a.ts, then run `npm ci`, then restart (api/package.json, api/src/a.ts)',
    );
    expect(plan([['api/src/a.ts'], ['api/config/app.json']], [mixed])).toBe(
      'api: sync api/src/a.ts → /app/src/a.ts, then restart',
    );
  });

  it('maps a file rule onto its target, and a glob from its base folder', () => {
    const files = service(
      'api',
      [
        rule(['./api/package.json'], { kind: 'sync', target: '/app/package.json' }),
        rule(['api/lib/**/*.ts'], { kind: 'sync', target: '/app/lib' }),
        rule(['.'], { kind: 'sync', target: '/srv' }),
      ],
      CONTAINER,
    );
    expect(plan([['api/package.json'], ['api/lib/x/y.ts'], ['Makefile']], [files])).toBe(
      'api: sync Makefile → /srv/Makefile, api/lib/x/y.ts → /app/lib/x/y.ts, api/package.json → /app/package.json',
    );
  });

  it('reports config changes on their own, not as triggers of rules that cover them', () => {
    const everything = service('all', [rule(['.'])]);
    expect(plan([['devenv.yaml'], ['.env.local'], ['config/shared.env'], ['src/a.ts']], [everything])).toBe(
      'config: devenv.yaml, .env.local, config/shared.env\nall: restart (src/a.ts)',
    );
    const result = planWatchActions({
      batch: { changes: [{ path: '.env', kind: 'change', at: 1 }], firstAt: 1, lastAt: 1 },
      services: [everything],
      projectDir: '/repo',
      configFiles: ['.env'],
    });
    expect(result).toEqual({ config: ['.env'], actions: [], since: 1 });
  });

  it('merges the commands of several run rules without repeating one', () => {
    const web = service('web', [
      rule(['package.json'], { kind: 'run', command: ['npm', 'install'] }),
      rule(['package-lock.json'], { kind: 'run', command: ['npm', 'install'] }),
      rule(['prisma'], { kind: 'run', command: ['npx', 'prisma', 'generate'] }),
    ]);
    expect(plan([['package.json'], ['package-lock.json'], ['prisma/schema.prisma']], [web])).toBe(
      'web: run `npm install`, `npx prisma generate`, then restart (package-lock.json, package.json, prisma/schema.prisma)',
    );
  });
});

describe('watchKeepPaths', () => {
  it('keeps config files and the folders rules name, not the whole project for root globs', () => {
    const services = [
      service('web', [rule(['dist/server', '**/*.ts', 'lib/**/*.js'])]),
      service('api', [rule(['./api/package.json'])]),
    ];
    expect(watchKeepPaths(services, ['devenv.yaml', './.env.local'])).toEqual([
      'devenv.yaml',
      '.env.local',
      'dist/server',
      'lib',
      'api/package.json',
    ]);
  });
});
