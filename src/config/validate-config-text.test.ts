// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { describe, expect, it } from 'vitest';
import { problemLines, validateText } from './test-support/config-fixture.js';

const problems = (text: string) => problemLines(validateText(text).problems);

describe('validateConfigText: schema', () => {
  it('accepts a minimal file and defaults the project name to the folder', () => {
    const { loaded, problems: found } = validateText('services:\n  api:\n    run: npm start\n');
    expect(found).toEqual([]);
    expect(loaded?.project).toBe('app');
  });

  it('rejects unknown keys at every level, with did-you-mean', () => {
    expect(
      problems(`servics: {}
dependencies:
  db:
    preset: postgres
    enviroment: {}
    ready: { comand: x }
services:
  api:
    rnu: x
    build: { contxt: . }
    watch:
      - paths: src
        acton: restart
preview: { tll: 1h }
`),
    ).toEqual([
      '1:1 unknown key `servics` at the top level (did you mean `services`?)',
      '5:5 unknown key `enviroment` in dependencies.db (did you mean `env`?)',
      '6:14 unknown key `comand` in dependencies.db.ready (did you mean `command`?)',
      '9:5 unknown key `rnu` in services.api (did you mean `run`?)',
      '10:14 unknown key `contxt` in services.api.build (did you mean `context`?)',
      '13:9 unknown key `acton` in services.api.watch[0] (did you mean `action`?)',
      '14:12 unknown key `tll` in preview (did you mean `ttl`?)',
    ]);
  });

  it('keeps a preview from living more than a year', () => {
    expect(problems('services:\n  api:\n    run: x\npreview:\n  ttl: 400d\n')).toEqual([
      '5:8 preview.ttl: at most 365d',
    ]);
  });

  it('reports a ttl that is not a duration as such, not as a bug', () => {
    expect(problems('services:\n  api:\n    run: x\npreview:\n  ttl: 3 days\n')).toEqual([
      '5:8 preview.ttl: expected a duration such as 500ms, 2s, 5m, 72h or 7d',
    ]);
  });

  it('names wrong types with the value that was written', () => {
    expect(
      problems(`name: 42
services:
  api:
    run: x
    port: "abc"
    restart: sometimes
    watch: src
    env: { PORT: [1] }
`),
    ).toEqual([
      '1:7 name: expected a string, got number 42',
      '5:11 services.api.port: expected a number or "auto" or a map, got "abc"',
      '6:14 services.api.restart: expected one of `no`, `on-failure`, `always`, got "sometimes"',
      '7:12 services.api.watch: expected a list, got "src"',
      '8:18 services.api.env.PORT: expected a string or a number or a boolean, got a list',
    ]);
  });

  it('refuses a file that is not a map', () => {
    expect(problems('- api\n- db\n')).toEqual(['1:1 the file: expected a map, got a list']);
  });

  it('points at a bad duration and a bad env name', () => {
    expect(
      problems('services:\n  api:\n    run: x\n    ready: { log: up, timeout: soon }\n    env: { 1X: a }\n'),
    ).toEqual([
      '4:32 services.api.ready.timeout: expected a duration such as 500ms, 2s, 5m, 72h or 7d',
      '5:12 services.api.env.1X: invalid name `1X`: expected an environment variable name (letters, digits, _)',
    ]);
  });
});

describe('validateConfigText: cross-field rules', () => {
  it('reports unknown references and names with suggestions', () => {
    expect(
      problems(`dependencies:
  db: { preset: postgress }
services:
  api:
    run: x
    env:
      A: \${dbb.url}
      B: \${db.uri}
      C: \${secrets.token}
      D: \${HOME
    depends_on: { queue: healthy }
profiles:
  default: [api, wbe]
`),
    ).toEqual([
      '2:17 unknown preset `postgress` (did you mean `postgres`?)',
      '7:10 ${dbb.url} refers to `dbb`, which is not a dependency or service (did you mean `db`?)',
      '8:10 ${db.uri}: `db` has no output `uri` (outputs of `db`: host)',
      '9:10 unknown secret `token` in ${secrets.token} (declare it under `secrets:` (env, file or command))',
      '10:10 `${` is never closed (write `$${` for a literal `${`)',
      '11:19 `api` depends on `queue`, which is not a dependency or service',
      '13:18 unknown dependency or service `wbe`',
    ]);
  });

  it('finds dependency cycles, including through references, once each', () => {
    expect(
      problems(`dependencies:
  a: { image: x, depends_on: [b] }
  b: { image: x, env: { A: "\${a.host}" } }
services:
  web: { image: nginx, depends_on: [worker] }
  worker: { run: x, depends_on: [web] }
`),
    ).toEqual([
      '2:31 dependency cycle: a → b → a (a `${name.key}` reference to a dependency also means "start it first"; break the loop)',
      '5:37 dependency cycle: web → worker → web (remove one of these depends_on entries)',
    ]);
  });

  it('rejects names that are not DNS labels, reserved names and clashes', () => {
    expect(
      problems(`name: My_App
dependencies:
  Main_DB: { image: x }
  api: { image: x }
services:
  api: { run: x }
  secrets: { run: x }
`),
    ).toEqual([
      '1:7 project name `My_App` is not a DNS label (use lowercase letters, digits and inner hyphens, at most 63 characters, e.g. `my-app`)',
      '3:3 dependency name `Main_DB` is not a DNS label (use lowercase letters, digits and inner hyphens, at most 63 characters, e.g. `main-db`)',
      '6:3 `api` is both a dependency and a service (names share one namespace (network aliases, `${name.key}`); rename one)',
      '7:3 `secrets` is reserved; choose another name',
    ]);
  });

  it('rejects duplicate fixed host ports', () => {
    expect(
      problems(`dependencies:
  db: { preset: postgres, ports: { postgres: { container: 5432, host: 5432 } } }
services:
  api: { run: x, port: 5432 }
`),
    ).toEqual([
      '4:24 host port 5432 is used twice: by `db` (postgres) and `api` (remove one fixed `host:` port; unfixed ports are derived and never clash)',
    ]);
  });

  it('rejects watch actions that do not fit the service kind', () => {
    expect(
      problems(`services:
  api:
    run: x
    watch:
      - { paths: src, action: sync, target: /app }
  web:
    image: nginx
    watch:
      - { paths: src, action: rebuild }
      - { paths: src, action: sync }
      - { paths: pkg.json, action: run }
`),
    ).toEqual([
      '5:31 watch action `sync` does not fit a local process (`run`) (a local process already sees your files; use `restart`, or nothing if it reloads itself)',
      '9:31 watch action `rebuild` does not fit an `image` service (only services with `build` have an image to rebuild; use `restart`)',
      '10:9 `action: sync` needs `target`, the container path to copy into',
      '11:9 `action: run` needs `command`, e.g. `command: npm install`',
    ]);
  });

  it('requires exactly one way to run, one secret source and one probe', () => {
    expect(
      problems(`secrets:
  token: { env: A, file: /b }
dependencies:
  db: { version: 16, image: postgres }
services:
  api: { run: x, image: y, ready: { tcp: 1, log: up } }
  web: { cwd: x }
  cache: { image: redis, warm_start: false }
`),
    ).toEqual([
      '2:3 secret `token` needs exactly one of `env`, `file`, `command`',
      '4:9 `version` only applies with `preset` (put the tag in `image:` instead)',
      '6:18 service `api` needs exactly one of `run`, `build` or `image`, not `run` and `image` (`run` starts a local process; `build`/`image` run a container)',
      '6:28 `ready` needs exactly one of `command`, `tcp`, `http`, `log`, got tcp and log',
      '7:3 service `web` needs exactly one of `run`, `build` or `image` (`run` starts a local process; `build`/`image` run a container)',
      '7:10 `cwd` only applies to local processes (`run`)',
      '8:26 `warm_start` only applies to local processes (`run`)',
    ]);
  });

  it('checks conditions: healthy needs a ready check, completed needs a one-shot', () => {
    expect(
      problems(`services:
  migrate: { image: x }
  worker: { run: x }
  api: { run: x, depends_on: { migrate: completed, worker: healthy } }
`),
    ).toEqual([
      '4:41 `migrate` never completes: only a service with `restart: "no"` does (one-shot tasks (migrations, seeds) set `restart: "no"`)',
      '4:60 `worker` has no `ready` check, so it can never be `healthy` (add `ready:` to it, or wait for `started`)',
    ]);
  });

  it('reports misspelt keys and the cross-field problems they would otherwise hide, at once', () => {
    expect(
      problems(`dependencies:
  db: { preset: postgress, imagee: x }
services:
  api: { run: x, env: { URL: "\${dbb.url}" } }
`),
    ).toEqual([
      '2:17 unknown preset `postgress` (did you mean `postgres`?)',
      '2:28 unknown key `imagee` in dependencies.db (did you mean `image`?)',
      '4:30 ${dbb.url} refers to `dbb`, which is not a dependency or service (did you mean `db`?)',
    ]);
  });
});
