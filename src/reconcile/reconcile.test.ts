import { describe, expect, it } from 'vitest';
import type { DesiredState, ObservedContainerSummary, ObservedState } from './desired-state.js';
import { formatPlan, isNoop } from './plan.js';
import { orderByDependencies, reconcile } from './reconcile.js';

const desired: DesiredState = {
  network: 'devenv-shop-default',
  volumes: ['devenv-shop-default-db-data', 'devenv-shop-default-cache-data'],
  containers: [
    { name: 'api', configHash: 'aaaa1111bbbb', dependsOn: ['db', 'cache'] },
    { name: 'db', configHash: 'dddd2222eeee', dependsOn: [] },
    { name: 'cache', configHash: 'cccc3333ffff', dependsOn: [] },
  ],
};

const nothing: ObservedState = { networks: [], volumes: [], containers: [] };

function running(
  name: string,
  configHash: string,
  id = `${name}-id`,
  createdAt = 1,
): ObservedContainerSummary {
  return { id, name, configHash, running: true, createdAt };
}

const everythingUp: ObservedState = {
  networks: [{ id: 'n1', name: 'devenv-shop-default' }],
  volumes: [{ name: 'devenv-shop-default-db-data' }, { name: 'devenv-shop-default-cache-data' }],
  containers: [
    running('api', 'aaaa1111bbbb'),
    running('db', 'dddd2222eeee'),
    running('cache', 'cccc3333ffff'),
  ],
};

describe('reconcile', () => {
  it('creates everything on a fresh engine, dependencies first', () => {
    expect(formatPlan(reconcile(desired, nothing))).toBe(
      [
        'network devenv-shop-default: create',
        'volume devenv-shop-default-cache-data: create',
        'volume devenv-shop-default-db-data: create',
        'cache: create',
        'db: create',
        'api: create after cache, db',
      ].join('\n'),
    );
  });

  it('does nothing when nothing changed', () => {
    const plan = reconcile(desired, everythingUp);
    expect(isNoop(plan)).toBe(true);
    expect(formatPlan(plan)).toBe(['cache: keep', 'db: keep', 'api: keep'].join('\n'));
  });

  it('recreates exactly the container whose config changed', () => {
    const changed = {
      ...desired,
      containers: desired.containers.map((c) => (c.name === 'db' ? { ...c, configHash: '99998888' } : c)),
    };
    expect(formatPlan(reconcile(changed, everythingUp))).toBe(
      ['cache: keep', 'db: recreate (config dddd2222 → 99998888)', 'api: keep'].join('\n'),
    );
  });

  it('starts a stopped container that is still current instead of recreating it', () => {
    const observed = {
      ...everythingUp,
      containers: everythingUp.containers.map((c) => (c.name === 'cache' ? { ...c, running: false } : c)),
    };
    expect(formatPlan(reconcile(desired, observed))).toContain('cache: start');
  });

  it('removes what was removed from the file and never touches volumes it finds', () => {
    const observed = {
      ...everythingUp,
      volumes: [...everythingUp.volumes, { name: 'devenv-shop-default-old-data' }],
      containers: [...everythingUp.containers, running('mailer', 'x')],
    };
    expect(formatPlan(reconcile(desired, observed))).toBe(
      ['mailer: remove (removed from devenv.yaml)', 'cache: keep', 'db: keep', 'api: keep'].join('\n'),
    );
  });

  it('adopts the newest current container among duplicates left by a killed supervisor', () => {
    const observed = {
      ...everythingUp,
      containers: [
        ...everythingUp.containers.filter((c) => c.name !== 'db'),
        running('db', 'dddd2222eeee', 'db-old', 1),
        running('db', 'dddd2222eeee', 'db-new', 2),
      ],
    };
    const plan = reconcile(desired, observed);
    expect(formatPlan(plan)).toBe(
      ['cache: keep', 'db: remove (duplicate)', 'db: keep', 'api: keep'].join('\n'),
    );
    expect(plan.steps).toContainEqual({
      kind: 'remove-container',
      name: 'db',
      id: 'db-old',
      reason: 'duplicate',
    });
  });
});

describe('reconcile of a build: service', () => {
  const wanted = (buildFingerprint: string): DesiredState => ({
    network: 'devenv-shop-default',
    volumes: [],
    containers: [{ name: 'api', configHash: 'aaaa1111bbbb', dependsOn: [], buildFingerprint }],
  });
  const observed = (buildFingerprint: string | undefined): ObservedState => ({
    networks: [{ id: 'n1', name: 'devenv-shop-default' }],
    volumes: [],
    containers: [{ ...running('api', 'aaaa1111bbbb'), buildFingerprint }],
  });

  it('keeps a container built from the context as it is now', () => {
    expect(formatPlan(reconcile(wanted('fp2'), observed('fp2')))).toBe('api: keep');
  });

  it('recreates one built from another state of its context (or by a devenv that did not record it), rebuilding first', () => {
    for (const before of ['fp1', undefined]) {
      const plan = reconcile(wanted('fp2'), observed(before));
      expect(formatPlan(plan)).toBe('api: recreate (build context changed)');
      expect(plan.steps[0]).toMatchObject({ kind: 'recreate-container', rebuild: true });
    }
  });
});

describe('orderByDependencies', () => {
  it('orders a diamond stably', () => {
    const names = orderByDependencies([
      { name: 'web', dependsOn: ['api'] },
      { name: 'api', dependsOn: ['db', 'cache'] },
      { name: 'worker', dependsOn: ['db'] },
      { name: 'db', dependsOn: [] },
      { name: 'cache', dependsOn: [] },
    ]).map((item) => item.name);
    expect(names).toEqual(['cache', 'db', 'api', 'worker', 'web']);
  });

  it('keeps every item even when a cycle slipped through', () => {
    const names = orderByDependencies([
      { name: 'a', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['a'] },
    ]).map((item) => item.name);
    expect(names).toEqual(['a', 'b']);
  });
});
