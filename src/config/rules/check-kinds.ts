import type { ConfigProblem } from '../../errors/config-error.js';
import { closestMatch } from '../../util/closest-match.js';
import type { ServiceConfig } from '../schema/service-schema.js';
import { didYouMean, problemAt, type Rule, type RuleContext, serviceKind } from './rule-context.js';

const PROBES = ['command', 'tcp', 'http', 'log'] as const;

/**
 * "Exactly one of" choices the schema leaves open (a union would give worse messages): how a dependency
 * and a service run, where a secret comes from, which readiness probe; and fields that only fit one kind.
 */
export const checkKinds: Rule = (context) => {
  const { config } = context;
  const problems: ConfigProblem[] = [];

  for (const [name, dependency] of Object.entries(config.dependencies)) {
    const path = ['dependencies', name];
    if ((dependency.preset === undefined) === (dependency.image === undefined)) {
      problems.push(
        problemAt(context, path, `dependency \`${name}\` needs exactly one of \`preset\` or \`image\``, {
          key: true,
          hint: 'e.g. `preset: postgres`, or `image: postgres:17`',
        }),
      );
    }
    if (dependency.version !== undefined && dependency.preset === undefined) {
      problems.push(
        problemAt(context, [...path, 'version'], '`version` only applies with `preset`', {
          key: true,
          hint: 'put the tag in `image:` instead',
        }),
      );
    }
  }

  for (const [name, service] of Object.entries(config.services)) {
    problems.push(...checkService(context, name, service));
  }

  for (const [name, secret] of Object.entries(config.secrets)) {
    const sources = ['env', 'file', 'command'].filter(
      (key) => secret[key as keyof typeof secret] !== undefined,
    );
    if (sources.length !== 1) {
      problems.push(
        problemAt(
          context,
          ['secrets', name],
          `secret \`${name}\` needs exactly one of \`env\`, \`file\`, \`command\``,
          { key: true },
        ),
      );
    }
  }

  for (const section of ['dependencies', 'services'] as const) {
    for (const name of Object.keys(config[section])) problems.push(...checkReadiness(context, section, name));
  }

  if (config.preview?.access === 'basic' && config.preview.basic_auth === undefined) {
    problems.push(
      problemAt(
        context,
        ['preview', 'access'],
        '`access: basic` needs `basic_auth` (a secret with user:password)',
      ),
    );
  }
  return problems;
};

function checkService(context: RuleContext, name: string, service: ServiceConfig): ConfigProblem[] {
  const path = ['services', name];
  const problems: ConfigProblem[] = [];
  const ways = (['run', 'build', 'image'] as const).filter((key) => service[key] !== undefined);
  if (ways.length !== 1) {
    problems.push(
      problemAt(
        context,
        ways.length === 0 ? path : [...path, ways[1] ?? ''],
        `service \`${name}\` needs exactly one of \`run\`, \`build\` or \`image\`${ways.length > 1 ? `, not ${ways.map((w) => `\`${w}\``).join(' and ')}` : ''}`,
        {
          key: true,
          hint: '`run` starts a local process; `build`/`image` run a container',
        },
      ),
    );
  }
  const kind = serviceKind(service);
  const onlyFor = (field: keyof ServiceConfig, what: string) => {
    if (service[field] !== undefined)
      problems.push(
        problemAt(context, [...path, field], `\`${field}\` only applies to ${what}`, { key: true }),
      );
  };
  if (kind === 'process') {
    onlyFor('command', 'container services (a local process runs `run`)');
    onlyFor('volumes', 'container services');
    if (typeof service.port === 'object') {
      problems.push(
        problemAt(
          context,
          [...path, 'port'],
          'a local process has one port: write `port: 3000` or `port: auto`',
        ),
      );
    }
  } else {
    onlyFor('cwd', 'local processes (`run`)');
    onlyFor('warm_start', 'local processes (`run`)');
    if (service.port === 'auto') {
      problems.push(
        problemAt(
          context,
          [...path, 'port'],
          '`port: auto` is for local processes; give the container port, e.g. `port: 3000`',
        ),
      );
    }
  }
  return problems;
}

function checkReadiness(
  context: RuleContext,
  section: 'dependencies' | 'services',
  name: string,
): ConfigProblem[] {
  const entity = context.config[section][name];
  const ready = entity?.ready;
  if (!ready) return [];
  const path = [section, name, 'ready'];
  const problems: ConfigProblem[] = [];
  const probes = PROBES.filter((probe) => ready[probe] !== undefined);
  if (probes.length !== 1) {
    problems.push(
      problemAt(
        context,
        path,
        `\`ready\` needs exactly one of ${PROBES.map((p) => `\`${p}\``).join(', ')}${probes.length > 1 ? `, got ${probes.join(' and ')}` : ''}`,
        { key: true },
      ),
    );
  }
  const servicePort = section === 'services' ? context.config.services[name]?.port : undefined;
  const ports =
    section === 'dependencies'
      ? Object.keys(context.dependencies.get(name)?.ports ?? {})
      : servicePort === undefined
        ? []
        : ['main'];
  const refs: [PropertyKey[], unknown][] = [
    [[...path, 'tcp'], ready.tcp],
    [[...path, 'http', 'port'], typeof ready.http === 'object' ? ready.http.port : undefined],
  ];
  for (const [refPath, ref] of refs) {
    if (typeof ref === 'string' && !ports.includes(ref)) {
      problems.push(
        problemAt(context, refPath, `unknown port \`${ref}\` in \`${name}\``, {
          hint:
            didYouMean(closestMatch(ref, ports)) ??
            (ports.length > 0 ? `ports: ${ports.join(', ')}` : 'declare it in `ports`'),
        }),
      );
    }
  }
  if (
    section === 'services' &&
    (ready.tcp !== undefined || ready.http !== undefined) &&
    servicePort === undefined
  ) {
    const tcpNumber = typeof ready.tcp === 'number';
    const httpNumber = typeof ready.http === 'object' && typeof ready.http.port === 'number';
    if (!tcpNumber && !httpNumber)
      problems.push(problemAt(context, path, `service \`${name}\` has no \`port\` to probe`, { key: true }));
  }
  return problems;
}
