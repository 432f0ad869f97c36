/**
 * Which presets a repository needs, and which of its variables should carry their addresses, from the
 * names (and URL schemes) in its .env files and the client libraries in its package.json.
 */

/** A variable that should read an output of a preset: `DATABASE_URL` → postgres `url`. */
export interface VariableHint {
  variable: string;
  preset: string;
  output: string;
}

const BY_SCHEME: readonly [RegExp, string][] = [
  [/^postgres(ql)?(\+\w+)?:/i, 'postgres'],
  [/^(mysql|mariadb)(\+\w+)?:/i, 'mariadb'],
  [/^mongodb(\+srv)?:/i, 'mongodb'],
  [/^rediss?:/i, 'redis'],
  [/^amqps?:/i, 'rabbitmq'],
];

const BY_NAME: readonly [RegExp, string, string][] = [
  [/^(POSTGRES|POSTGRESQL|PG)_(URL|URI)$/, 'postgres', 'url'],
  [/^PGHOST$/, 'postgres', 'host'],
  [/^PGPORT$/, 'postgres', 'port'],
  [/^PGUSER$/, 'postgres', 'user'],
  [/^PGPASSWORD$/, 'postgres', 'password'],
  [/^PGDATABASE$/, 'postgres', 'database'],
  [/^(MYSQL|MARIADB)_(URL|URI)$/, 'mariadb', 'url'],
  [/^REDIS_(URL|URI)$/, 'redis', 'url'],
  [/^REDIS_HOST$/, 'redis', 'host'],
  [/^REDIS_PORT$/, 'redis', 'port'],
  [/^MONGO(DB)?_(URL|URI)$/, 'mongodb', 'url'],
  [/^(AMQP|RABBITMQ|CLOUDAMQP)_(URL|URI)$/, 'rabbitmq', 'url'],
  [/^KAFKA_(BROKERS|BOOTSTRAP_SERVERS|BROKER)$/, 'kafka', 'brokers'],
  [/^SMTP_(URL|URI)$/, 'mailpit', 'url'],
  [/^(SMTP|MAIL)_HOST$/, 'mailpit', 'smtp_host'],
  [/^(SMTP|MAIL)_PORT$/, 'mailpit', 'smtp_port'],
  [/^(S3|MINIO)_ENDPOINT$|^AWS_ENDPOINT_URL(_S3)?$/, 'minio', 'endpoint'],
  [/^OTEL_EXPORTER_OTLP_ENDPOINT$/, 'otel', 'otlp_endpoint'],
];

const BY_PACKAGE: Readonly<Record<string, string>> = {
  pg: 'postgres',
  postgres: 'postgres',
  'pg-promise': 'postgres',
  mysql: 'mariadb',
  mysql2: 'mariadb',
  mariadb: 'mariadb',
  redis: 'redis',
  ioredis: 'redis',
  bullmq: 'redis',
  bull: 'redis',
  mongodb: 'mongodb',
  mongoose: 'mongodb',
  amqplib: 'rabbitmq',
  'amqp-connection-manager': 'rabbitmq',
  kafkajs: 'kafka',
  '@confluentinc/kafka-javascript': 'kafka',
  minio: 'minio',
};

/** Presets the package's libraries point at (`pg` → postgres), each with the library that said so. */
export function presetsFromPackages(dependencies: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const dependency of dependencies) {
    const preset = BY_PACKAGE[dependency];
    if (preset !== undefined && !found.has(preset)) found.set(preset, dependency);
  }
  return found;
}

/**
 * The hint for one variable, or `undefined`. A generic `DATABASE_URL` is decided by its URL scheme,
 * else by the database library the package uses, else Postgres.
 */
export function hintForVariable(
  variable: string,
  value: string,
  packagePresets: ReadonlyMap<string, string>,
): VariableHint | undefined {
  if (/^(DATABASE|DB)_(URL|URI)$|_DATABASE_URL$/.test(variable)) {
    const byScheme = BY_SCHEME.find(([scheme]) => scheme.test(value))?.[1];
    const byPackage = ['postgres', 'mariadb', 'mongodb'].find((preset) => packagePresets.has(preset));
    const preset = byScheme ?? byPackage ?? (value === '' || value.includes('://') ? 'postgres' : undefined);
    return preset === undefined ? undefined : { variable, preset, output: 'url' };
  }
  const byName = BY_NAME.find(([pattern]) => pattern.test(variable));
  if (byName) return { variable, preset: byName[1], output: byName[2] };
  return undefined;
}

/** The name a preset's dependency gets in devenv.yaml (the docs' examples use `db`). */
export function defaultDependencyName(preset: string): string {
  return (
    ({ postgres: 'db', mariadb: 'db', mongodb: 'mongo', mailpit: 'mail' } as Record<string, string>)[
      preset
    ] ?? preset
  );
}
