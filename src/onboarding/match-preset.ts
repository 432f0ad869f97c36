/**
 * Which preset stands for a Compose image. `exact`: the preset's own image, so the tag carries over as
 * `version`. `substitute`: another image the preset replaces for development (MySQL → MariaDB, Redpanda
 * → Kafka, MailHog → Mailpit): the tag, and settings meant for the other image, do not carry over.
 */
export interface PresetMatch {
  preset: string;
  kind: 'exact' | 'substitute';
  /** The image's tag (`16-alpine`), for `exact` matches; `undefined` when the image names none. */
  version?: string;
  /** Env names of the substituted image that mean the same for the preset's. */
  envRenames?: Readonly<Record<string, string>>;
}

interface Rule {
  preset: string;
  repositories: readonly string[];
  kind: 'exact' | 'substitute';
  envRenames?: Readonly<Record<string, string>>;
}

const MYSQL_TO_MARIADB = {
  MYSQL_USER: 'MARIADB_USER',
  MYSQL_PASSWORD: 'MARIADB_PASSWORD',
  MYSQL_DATABASE: 'MARIADB_DATABASE',
  MYSQL_ROOT_PASSWORD: 'MARIADB_ROOT_PASSWORD',
  MYSQL_ALLOW_EMPTY_PASSWORD: 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD',
  MYSQL_RANDOM_ROOT_PASSWORD: 'MARIADB_RANDOM_ROOT_PASSWORD',
};

const RULES: readonly Rule[] = [
  { preset: 'postgres', repositories: ['postgres'], kind: 'exact' },
  { preset: 'mariadb', repositories: ['mariadb'], kind: 'exact' },
  { preset: 'mariadb', repositories: ['mysql'], kind: 'substitute', envRenames: MYSQL_TO_MARIADB },
  { preset: 'redis', repositories: ['redis'], kind: 'exact' },
  { preset: 'mongodb', repositories: ['mongo'], kind: 'exact' },
  { preset: 'rabbitmq', repositories: ['rabbitmq'], kind: 'exact' },
  { preset: 'kafka', repositories: ['apache/kafka'], kind: 'exact' },
  {
    preset: 'kafka',
    repositories: [
      'apache/kafka-native',
      'confluentinc/cp-kafka',
      'bitnami/kafka',
      'redpandadata/redpanda',
      'vectorized/redpanda',
    ],
    kind: 'substitute',
  },
  { preset: 'minio', repositories: ['minio/minio'], kind: 'exact' },
  { preset: 'mailpit', repositories: ['axllent/mailpit'], kind: 'exact' },
  { preset: 'mailpit', repositories: ['mailhog/mailhog', 'maildev/maildev'], kind: 'substitute' },
  { preset: 'otel', repositories: ['jaegertracing/jaeger'], kind: 'exact' },
  {
    preset: 'otel',
    repositories: [
      'jaegertracing/all-in-one',
      'otel/opentelemetry-collector',
      'otel/opentelemetry-collector-contrib',
    ],
    kind: 'substitute',
  },
];

/** `docker.io/library/postgres:16` → `{repository: 'postgres', tag: '16'}`; a digest leaves no tag. */
export function parseImage(image: string): { repository: string; tag?: string; digest: boolean } {
  const [name = '', digest] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  let path = (colon > slash ? name.slice(0, colon) : name).split('/');
  // A first part with a dot or a port, or `localhost`, is a registry host, not a namespace.
  if (path.length > 1 && /[.:]|^localhost$/.test(path[0] ?? '')) path = path.slice(1);
  if (path.length === 2 && path[0] === 'library') path = path.slice(1);
  return { repository: path.join('/').toLowerCase(), ...(tag ? { tag } : {}), digest: digest !== undefined };
}

export function matchPreset(image: string, available: ReadonlySet<string>): PresetMatch | undefined {
  const { repository, tag, digest } = parseImage(image);
  const rule = RULES.find((r) => r.repositories.includes(repository) && available.has(r.preset));
  // A pinned digest is a deliberate choice of bytes: keep the image as written.
  if (!rule || (digest && rule.kind === 'exact')) return undefined;
  return {
    preset: rule.preset,
    kind: rule.kind,
    ...(rule.kind === 'exact' && tag !== undefined ? { version: tag } : {}),
    ...(rule.envRenames ? { envRenames: rule.envRenames } : {}),
  };
}

/**
 * What the image itself defaults to when Compose leaves a variable out, where the preset chooses
 * differently: so a converted service keeps the credentials the app was written against
 * (`postgres://postgres:…@db/postgres`), and `${db.url}` says the same.
 */
export function imageEnvDefaults(preset: string, env: ReadonlyMap<string, string>): Map<string, string> {
  switch (preset) {
    case 'postgres': {
      const user = env.get('POSTGRES_USER') ?? 'postgres';
      return new Map([
        ['POSTGRES_USER', user],
        ['POSTGRES_DB', user],
      ]);
    }
    case 'rabbitmq':
      return new Map([
        ['RABBITMQ_DEFAULT_USER', 'guest'],
        ['RABBITMQ_DEFAULT_PASS', 'guest'],
      ]);
    case 'minio':
      return new Map([
        ['MINIO_ROOT_USER', 'minioadmin'],
        ['MINIO_ROOT_PASSWORD', 'minioadmin'],
      ]);
    default:
      return new Map();
  }
}
