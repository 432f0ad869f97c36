// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import type { SecretResolver } from './secret-resolver.js';
import { resolveText } from './test-support/config-fixture.js';

const QUICKSTART = `name: shop
dependencies:
  db: { preset: postgres }
  cache: { preset: redis, ports: { redis: { container: 6379, host: 16379 } } }
services:
  api:
    run: npm start
    port: 3000
    env:
      DATABASE_URL: \${db.url}
      REDIS_URL: \${cache.url}
  web:
    build: { context: ./web, target: dev }
    port: 5173
    env:
      API_URL: \${api.url}
      DATABASE_URL: \${db.url}
`;

describe('resolveEnvironment', () => {
  it('gives a local process the host view and a container the network view', () => {
    const { environment, problems } = resolveText(QUICKSTART);
    expect(problems).toEqual([]);
    const db = environment?.dependencies.find((d) => d.name === 'db');
    const hostPort = db?.ports[0]?.host;
    const [api, web] = environment?.services ?? [];
    expect(api?.env.values).toEqual({
      PORT: '3000',
      DATABASE_URL: `postgres://devenv:devenv@127.0.0.1:${hostPort}/app`,
      REDIS_URL: 'redis://127.0.0.1:16379',
    });
    expect(web?.env.values).toEqual({
      PORT: '5173',
      API_URL: 'http://host.docker.internal:3000',
      DATABASE_URL: 'postgres://devenv:devenv@db:5432/app',
    });
    expect(db?.outputs.host.url).toBe(`postgres://devenv:devenv@127.0.0.1:${hostPort}/app`);
  });

  it('keeps numbers as written where YAML would change them: versions, env values', () => {
    const { environment, problems } = resolveText(`dependencies:
  cache: { preset: redis, version: 7.10 }
services:
  api:
    run: node server.js
    env: { ZIP: 01234, MASK: 0x1F, ID: 12345678901234567890, RATIO: 1.5, COUNT: 3 }
`);
    expect(problems).toEqual([]);
    expect(environment?.dependencies[0]?.image).toBe('redis:7.10');
    expect(environment?.services[0]?.env.values).toMatchObject({
      ZIP: '01234',
      MASK: '0x1F',
      ID: '12345678901234567890',
      RATIO: '1.5',
      COUNT: '3',
    });
  });

  it('keeps a warm start for local processes unless `warm_start: false`, and hashes the choice', () => {
    const services = (yaml: string) => resolveText(yaml).environment?.services ?? [];
    const [on] = services('services:\n  api: { run: node server.js }\n');
    const [off] = services('services:\n  api: { run: node server.js, warm_start: false }\n');
    expect(on?.runtime).toMatchObject({ kind: 'process', warmStart: true });
    expect(off?.runtime).toMatchObject({ kind: 'process', warmStart: false });
    expect(on?.configHash).not.toBe(off?.configHash);
  });

  it('names, labels and hashes everything for the environment of a branch', () => {
    const { environment } = resolveText(QUICKSTART, { branch: 'feature/Checkout' });
    expect(environment?.env).toMatch(/^feature-checkout-[0-9a-f]{8}$/);
    expect(environment?.network).toBe(`shop-${environment?.env}`);
    const db = environment?.dependencies[0];
    expect(db?.containerName).toBe(`shop-${environment?.env}-db`);
    expect(db?.volumes[0]?.volumeName).toBe(`shop-${environment?.env}-db-data`);
    expect(db?.labels).toEqual({
      'devenv.project': 'shop',
      'devenv.env': environment?.env,
      'devenv.name': 'db',
      'devenv.kind': 'dependency',
      'devenv.config-hash': db?.configHash,
    });
  });

  it('derives stable host ports that differ per environment and honours overrides', () => {
    const a = resolveText(QUICKSTART).environment?.dependencies[0]?.ports[0]?.host;
    const b = resolveText(QUICKSTART).environment?.dependencies[0]?.ports[0]?.host;
    const branch = resolveText(QUICKSTART, { branch: 'x' }).environment?.dependencies[0]?.ports[0]?.host;
    expect(a).toBe(b);
    expect(branch).not.toBe(a);
    const overridden = resolveText(QUICKSTART, { hostPortOverrides: { db: { postgres: 25000 } } });
    expect(overridden.environment?.dependencies[0]?.ports[0]).toMatchObject({
      host: 25000,
      hostSource: 'override',
    });
  });

  it('changes the config hash only for what changed', () => {
    const before = resolveText(QUICKSTART).environment;
    const after = resolveText(
      QUICKSTART.replace('REDIS_URL: ${cache.url}', 'REDIS_URL: ${cache.url}/1'),
    ).environment;
    expect(after?.dependencies.map((d) => d.configHash)).toEqual(
      before?.dependencies.map((d) => d.configHash),
    );
    expect(after?.services[0]?.configHash).not.toBe(before?.services[0]?.configHash);
  });

  it('orders start-up by dependencies and adds implicit edges for references', () => {
    const { environment } = resolveText(QUICKSTART);
    expect(environment?.startOrder).toEqual(['db', 'cache', 'api', 'web']);
    expect(environment?.services[0]?.dependsOn).toEqual([
      { name: 'db', condition: 'healthy', implicit: true },
      { name: 'cache', condition: 'healthy', implicit: true },
    ]);
  });

  it('reads .env layers under the environment, and names unset variables', () => {
    const text =
      'services:\n  api:\n    run: x\n    env:\n      A: ${A}\n      B: ${B:-fallback}\n      C: ${C}\n';
    const { environment } = resolveText(text, {
      envFiles: [
        { file: '.env', text: 'A=from-env-file\nC=base' },
        { file: '.env.local', text: 'C=local' },
      ],
      environment: { A: 'from-process' },
    });
    expect(environment?.services[0]?.env.values).toEqual({ A: 'from-process', B: 'fallback', C: 'local' });
    expect(resolveText(text).problems).toEqual([
      '5:10 services.api.env.A: variable A is not set (set A in the environment or in .env, or give a default: ${A:-value})',
      '7:10 services.api.env.C: variable C is not set (set C in the environment or in .env, or give a default: ${C:-value})',
    ]);
  });

  it('reports an .env line that is not KEY=VALUE in that file', () => {
    const { problems } = resolveText('services:\n  api: { run: x }\n', {
      envFiles: [{ file: '.env', text: 'OK=1\nnot a pair\n' }],
    });
    expect(problems[0]).toMatch(/^2:1 expected KEY=VALUE, got `not a pair`/);
  });

  it('resolves secrets through the injected resolver and marks them secret', () => {
    const calls: string[] = [];
    const resolveSecret: SecretResolver = (name, source) => {
      calls.push(`${name}:${source.kind}`);
      return { ok: true, value: `value-of-${name}` };
    };
    const text = `secrets:
  pw: { command: "pass show db" }
  unused: { command: "never run" }
  key: { env: STRIPE_KEY }
dependencies:
  db: { preset: postgres, env: { POSTGRES_PASSWORD: "\${secrets.pw}" } }
services:
  api: { run: x, env: { DATABASE_URL: "\${db.url}", STRIPE: "\${secrets.key}", PLAIN: "x" } }
`;
    const { environment } = resolveText(text, { resolveSecret, environment: { STRIPE_KEY: 'sk_test' } });
    expect(calls).toEqual(['pw:command']);
    const api = environment?.services[0];
    expect(api?.env.values.STRIPE).toBe('sk_test');
    expect(api?.env.values.DATABASE_URL).toContain(':value-of-pw@');
    expect(api?.env.secretKeys).toEqual(['DATABASE_URL', 'STRIPE']);
    expect(environment?.dependencies[0]?.env.secretKeys).toEqual(['POSTGRES_PASSWORD']);
    expect(environment?.dependencies[0]?.outputs.secretKeys).toEqual(['url', 'password']);
  });

  it('reports a secret that cannot be resolved where it is used, naming it', () => {
    const text = `secrets:
  token: { env: API_TOKEN }
  cert: { file: ./certs/dev.pem }
  key: { command: [op, read, x] }
services:
  api:
    run: x
    env:
      TOKEN: \${secrets.token}
      CERT: \${secrets.cert}
      KEY: \${secrets.key}
`;
    expect(
      resolveText(text, { resolveSecret: () => ({ ok: false, reason: 'op: not signed in' }) }).problems,
    ).toEqual([
      '9:14 services.api.env.TOKEN: secret `token` could not be resolved: API_TOKEN is not set (export API_TOKEN=… or put it in .env.local (not committed))',
      '10:13 services.api.env.CERT: secret `cert` could not be resolved: ./certs/dev.pem is inside the repository (keep secret files outside the repo, e.g. in ~/.config)',
      '11:12 services.api.env.KEY: secret `key` could not be resolved: op: not signed in',
    ]);
  });

  it('with readSecrets false, every secret is a placeholder read from nowhere (still marked secret)', () => {
    const text = `services:
  api:
    run: x
    env: { TOKEN: "\${secrets.token}", PLAIN: plain }
secrets:
  token: { env: API_TOKEN }
`;
    const read = resolveText(text, {
      readSecrets: false,
      resolveSecret: () => ({ ok: false, reason: 'read!' }),
    });
    expect(read.problems).toEqual([]);
    expect(read.environment?.services[0]?.env).toEqual({
      values: { TOKEN: '<secret token>', PLAIN: 'plain' },
      secretKeys: ['TOKEN'],
    });
  });

  it('applies preview settings and env overrides only for previews', () => {
    const text = `services:
  api: { run: x, env: { LOG: info } }
preview:
  ttl: 2h
  env: { api: { LOG: debug } }
`;
    expect(resolveText(text).environment?.services[0]?.env.values.LOG).toBe('info');
    const preview = resolveText(text, { preview: true, branch: 'feat' }).environment;
    expect(preview?.services[0]?.env.values.LOG).toBe('debug');
    expect(preview?.preview).toEqual({
      ttlMs: 7_200_000,
      access: 'token',
      basicAuth: undefined,
      domain: undefined,
      publicPaths: [],
      idleSleepMs: undefined,
      seed: undefined,
      snapshot: undefined,
    });
  });

  it('wants user:password in the basic_auth secret, and never prints the value', () => {
    const text = `services:
  api: { run: x }
secrets:
  login: { env: PREVIEW_LOGIN }
preview:
  access: basic
  basic_auth: login
`;
    const resolve = (value: string) =>
      resolveText(text, { preview: true, branch: 'feat', environment: { PREVIEW_LOGIN: value } });
    expect(resolve('shop:pw').environment?.preview?.basicAuth).toBe('shop:pw');
    const { problems } = resolve('onlyapassword');
    expect(problems).toEqual([expect.stringContaining('secret `login` must hold `user:password`')]);
    expect(problems.join('\n')).not.toContain('onlyapassword');
  });

  it('fills advertised addresses from its own host port (kafka)', () => {
    const { environment } = resolveText('dependencies:\n  events: { preset: kafka }\n');
    const kafka = environment?.dependencies[0];
    const hostPort = kafka?.ports.find((p) => p.name === 'kafka')?.host;
    expect(kafka?.env.values.KAFKA_ADVERTISED_LISTENERS).toBe(
      `INTERNAL://events:19092,EXTERNAL://127.0.0.1:${hostPort}`,
    );
    expect(kafka?.outputs.host.brokers).toBe(`127.0.0.1:${hostPort}`);
    expect(kafka?.outputs.network.brokers).toBe('events:19092');
  });
});
