import { describe, expect, it } from 'vitest';
import { imageEnvDefaults, matchPreset, parseImage } from './match-preset.js';

const all = new Set([
  'postgres',
  'mariadb',
  'redis',
  'mongodb',
  'rabbitmq',
  'kafka',
  'minio',
  'mailpit',
  'otel',
]);

describe('parseImage', () => {
  it.each([
    ['postgres', { repository: 'postgres', digest: false }],
    ['postgres:16-alpine', { repository: 'postgres', tag: '16-alpine', digest: false }],
    ['docker.io/library/redis:7', { repository: 'redis', tag: '7', digest: false }],
    ['localhost:5000/team/app:1', { repository: 'team/app', tag: '1', digest: false }],
    ['quay.io/minio/minio:RELEASE.2025', { repository: 'minio/minio', tag: 'RELEASE.2025', digest: false }],
    ['postgres@sha256:abc', { repository: 'postgres', digest: true }],
  ])('%s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });
});

describe('matchPreset', () => {
  it.each([
    ['postgres:16', 'postgres', 'exact', '16'],
    ['postgres', 'postgres', 'exact', undefined],
    ['mariadb:11.4', 'mariadb', 'exact', '11.4'],
    ['mysql:8.0', 'mariadb', 'substitute', undefined],
    ['redis:7-alpine', 'redis', 'exact', '7-alpine'],
    ['mongo:7', 'mongodb', 'exact', '7'],
    ['rabbitmq:3-management', 'rabbitmq', 'exact', '3-management'],
    ['apache/kafka:3.9.0', 'kafka', 'exact', '3.9.0'],
    ['confluentinc/cp-kafka:7.6.0', 'kafka', 'substitute', undefined],
    ['docker.redpanda.com/redpandadata/redpanda:v24.1.1', 'kafka', 'substitute', undefined],
    ['minio/minio', 'minio', 'exact', undefined],
    ['axllent/mailpit:v1.20', 'mailpit', 'exact', 'v1.20'],
    ['mailhog/mailhog', 'mailpit', 'substitute', undefined],
    ['jaegertracing/jaeger:2.10.0', 'otel', 'exact', '2.10.0'],
    ['otel/opentelemetry-collector-contrib:0.100.0', 'otel', 'substitute', undefined],
  ])('%s → %s', (image, preset, kind, version) => {
    const match = matchPreset(image, all);
    expect(match?.preset).toBe(preset);
    expect(match?.kind).toBe(kind);
    expect(match?.version).toBe(version);
  });

  it('leaves other images, digests and missing presets alone', () => {
    expect(matchPreset('getmeili/meilisearch:v1.15', all)).toBeUndefined();
    expect(matchPreset('bitnami/postgresql:16', all)).toBeUndefined();
    expect(matchPreset('postgres@sha256:abc', all)).toBeUndefined();
    expect(matchPreset('postgres:16', new Set(['redis']))).toBeUndefined();
  });

  it('renames MySQL variables for MariaDB', () => {
    expect(matchPreset('mysql:8', all)?.envRenames?.MYSQL_PASSWORD).toBe('MARIADB_PASSWORD');
  });
});

describe('imageEnvDefaults', () => {
  it("postgres's database defaults to its user", () => {
    expect([...imageEnvDefaults('postgres', new Map([['POSTGRES_USER', 'shop']]))]).toEqual([
      ['POSTGRES_USER', 'shop'],
      ['POSTGRES_DB', 'shop'],
    ]);
  });
});
