import { describe, expect, it } from 'vitest';
import {
  type GatewayInputs,
  gatewayPreviews,
  NOT_ANSWERED,
  newestRecords,
  runKey,
} from './gateway-previews.js';
import { recordVolume, serviceContainer, testRecord } from './gateway-test-fixtures.js';

/** Every container has answered, unless a test says otherwise. */
const ANSWERED = { has: () => true };

function inputs(overrides: Partial<GatewayInputs>): GatewayInputs {
  return {
    records: [],
    containers: [],
    now: new Date('2026-01-02T00:00:00Z'),
    sleeping: new Set(),
    waking: new Set(),
    lastLines: new Map(),
    answered: ANSWERED,
    ...overrides,
  };
}

describe('gatewayPreviews', () => {
  it('serves no preview past its expiry, before gc has removed it', () => {
    const record = testRecord('shop', 'feat/x', { serviceNames: ['web'] });
    const running = inputs({
      records: [recordVolume(record)],
      containers: [serviceContainer(record, 'web')],
    });
    expect(gatewayPreviews({ ...running, now: new Date(record.expires.getTime() - 1) })).toHaveLength(1);
    expect(gatewayPreviews({ ...running, now: record.expires })).toEqual([]);
  });

  it('routes each host to the oldest running container carrying it', () => {
    const record = testRecord('shop', 'feat/x', { serviceNames: ['web', 'api'] });
    const [preview] = gatewayPreviews(
      inputs({
        records: [recordVolume(record)],
        containers: [
          serviceContainer(record, 'web', { hostPort: 41_002, started: '2026-01-01T00:05:00Z' }),
          serviceContainer(record, 'web', { hostPort: 41_001, started: '2026-01-01T00:01:00Z' }),
          serviceContainer(record, 'api', { hostPort: 41_003 }),
        ],
      }),
    );
    expect(preview?.environment).toEqual({
      project: 'shop',
      env: record.env,
      routes: [
        { service: 'web', host: record.services[0]?.host, port: 41_001, state: 'ready' },
        { service: 'api', host: record.services[1]?.host, port: 41_003, state: 'ready' },
      ],
    });
  });

  it('takes the newest record per preview, and skips incomplete ones', () => {
    const old = testRecord('shop', 'main', { commit: 'old' });
    const fresh = testRecord('shop', 'main', { commit: 'new', updated: new Date('2026-01-02T00:00:00Z') });
    const broken = recordVolume(testRecord('shop', 'other'));
    delete (broken.labels as Record<string, string>)['devenv.preview.secret'];
    const records = newestRecords([recordVolume(fresh, 'b'), recordVolume(old, 'a'), broken]);
    expect(records.map((record) => record.commit)).toEqual(['new']);
  });

  it('says building before any container, failed after a non-zero exit (with its last lines)', () => {
    const record = testRecord('shop', 'main', { serviceNames: ['web', 'api'] });
    const failed = serviceContainer(record, 'api', { state: 'exited', exitCode: 2 });
    const [preview] = gatewayPreviews(
      inputs({
        records: [recordVolume(record)],
        containers: [failed],
        lastLines: new Map([[failed.id, ['boom']]]),
      }),
    );
    expect(preview?.services.map(({ state, detail }) => ({ state, detail }))).toEqual([
      { state: 'building', detail: 'being built' },
      { state: 'failed', detail: 'exited with code 2' },
    ]);
    expect(preview?.environment.routes[1]?.lastLines).toEqual(['boom']);
  });

  it('calls a running container starting until it has answered HTTP', () => {
    const record = testRecord('shop', 'main');
    const container = serviceContainer(record, 'web', { hostPort: 41_009 });
    const base = inputs({ records: [recordVolume(record)], containers: [container] });
    const [before] = gatewayPreviews({ ...base, answered: new Set() });
    expect(before?.services[0]).toMatchObject({ state: 'starting', port: 41_009, detail: NOT_ANSWERED });
    const [after] = gatewayPreviews({ ...base, answered: new Set([runKey(container)]) });
    expect(after?.services[0]?.state).toBe('ready');
  });

  it('waits for a health check and for the published port', () => {
    const record = testRecord('shop', 'main', { serviceNames: ['web', 'api'] });
    const [preview] = gatewayPreviews(
      inputs({
        records: [recordVolume(record)],
        containers: [
          serviceContainer(record, 'web', { health: 'starting' }),
          serviceContainer(record, 'api', { ports: [] }),
        ],
      }),
    );
    expect(preview?.services.map((service) => service.state)).toEqual(['starting', 'starting']);
  });

  it('knows a preview stopped by idle sleep, also after a gateway restart, and one waking', () => {
    const record = testRecord('shop', 'main', { idleSleepMinutes: 10 });
    const stopped = serviceContainer(record, 'web', { state: 'exited', exitCode: 143 });
    const base = inputs({ records: [recordVolume(record)], containers: [stopped] });
    const [asleep] = gatewayPreviews(base);
    expect(asleep?.asleep).toBe(true);
    expect(asleep?.services[0]?.state).toBe('stopped');
    const [waking] = gatewayPreviews({ ...base, waking: new Set([record.id]) });
    expect(waking?.asleep).toBe(false);
    expect(waking?.services[0]?.state).toBe('starting');
    // Without idle sleep, the same exit is simply a stopped service.
    const plain = testRecord('shop', 'main');
    const [notAsleep] = gatewayPreviews(
      inputs({
        records: [recordVolume(plain)],
        containers: [serviceContainer(plain, 'web', { state: 'exited', exitCode: 143 })],
      }),
    );
    expect(notAsleep?.asleep).toBe(false);
    expect(notAsleep?.services[0]?.state).toBe('failed');
  });

  it('filters by domain (port ignored) and by project', () => {
    const a = testRecord('shop', 'main', { domain: 'preview.example.com' });
    const b = testRecord('blog', 'main', { domain: 'preview.localhost:8080' });
    const all = inputs({ records: [recordVolume(a), recordVolume(b)] });
    expect(gatewayPreviews({ ...all, domain: 'preview.localhost' }).map((p) => p.record.project)).toEqual([
      'blog',
    ]);
    expect(gatewayPreviews({ ...all, projects: ['shop'] }).map((p) => p.record.project)).toEqual(['shop']);
    expect(gatewayPreviews(all)).toHaveLength(2);
  });
});
