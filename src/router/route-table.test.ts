import { describe, expect, it } from 'vitest';
import { RouteRegistry } from './route-registry.js';
import { buildRouteTable, hostName, resolveHost } from './route-table.js';
import type { PublishedEnvironment, RouteTarget } from './route-target.js';

const target = (
  service: string,
  host: string,
  port: number,
  state: RouteTarget['state'] = 'ready',
): RouteTarget => ({
  service,
  host,
  port,
  state,
});

const shop: PublishedEnvironment = {
  project: 'shop',
  env: 'default',
  routes: [
    target('api', 'api.shop.localhost', 3001),
    target('web', 'web.shop.localhost', 3002, 'restarting'),
  ],
};
const shopBranch: PublishedEnvironment = {
  project: 'shop',
  env: 'feature-a-1234abcd',
  routes: [target('api', 'api--feature-a-1234abcd.shop.localhost', 4001, 'crashed')],
};

/** The table as text: what a reader checks at a glance. */
const render = (environments: PublishedEnvironment[]): string[] =>
  [...buildRouteTable(environments).byHost].map(
    ([host, route]) =>
      `${host} → ${route.environment.project}/${route.environment.env} :${route.target.port}`,
  );

describe('buildRouteTable', () => {
  it('routes every published service by host, whatever the order of publication', () => {
    const expected = [
      'api.shop.localhost → shop/default :3001',
      'web.shop.localhost → shop/default :3002',
      'api--feature-a-1234abcd.shop.localhost → shop/feature-a-1234abcd :4001',
    ];
    expect(render([shop, shopBranch])).toEqual(expected);
    expect(render([shopBranch, shop])).toEqual(expected);
  });

  it('is empty without environments, and loses an environment’s hosts when it is left out', () => {
    expect(render([])).toEqual([]);
    expect(render([shopBranch])).toEqual([
      'api--feature-a-1234abcd.shop.localhost → shop/feature-a-1234abcd :4001',
    ]);
  });

  it('gives a host claimed twice to the first environment by key and reports the conflict', () => {
    const other: PublishedEnvironment = {
      project: 'shop',
      env: 'zzz',
      routes: [target('api', 'API.shop.localhost', 9)],
    };
    const table = buildRouteTable([other, shop]);
    expect(table.byHost.get('api.shop.localhost')?.target.port).toBe(3001);
    expect(table.conflicts).toEqual(['api.shop.localhost: shop/zzz loses to shop/default']);
  });
});

describe('resolveHost', () => {
  const table = buildRouteTable([shop, shopBranch]);
  it('proxies ready services, holds starting ones, pages down ones and unknown hosts', () => {
    expect(resolveHost(table, 'api.shop.localhost').kind).toBe('proxy');
    expect(resolveHost(table, 'web.shop.localhost').kind).toBe('wait');
    expect(resolveHost(table, 'api--feature-a-1234abcd.shop.localhost').kind).toBe('down');
    expect(resolveHost(table, 'nope.shop.localhost')).toEqual({
      kind: 'unknown',
      host: 'nope.shop.localhost',
    });
  });
});

describe('hostName', () => {
  it('drops the port and a trailing dot, lowercases, keeps IPv6 brackets', () => {
    expect(hostName('API.Shop.localhost:7777')).toBe('api.shop.localhost');
    expect(hostName('api.shop.localhost.')).toBe('api.shop.localhost');
    expect(hostName('[::1]:7777')).toBe('[::1]');
    expect(hostName(undefined)).toBe('');
  });
});

describe('RouteRegistry', () => {
  it('does nothing when the same routes are published again, and wakes waiters on a change', async () => {
    const registry = new RouteRegistry();
    expect(registry.publish(shop)).toBe(true);
    const before = registry.table;
    expect(registry.publish({ ...shop, routes: [...shop.routes] })).toBe(false);
    expect(registry.table).toBe(before);

    const woke = registry.changed(10_000);
    registry.publish({ ...shop, routes: [target('api', 'api.shop.localhost', 3001)] });
    await woke;
    expect(registry.table.byHost.has('web.shop.localhost')).toBe(false);
    expect(registry.withdraw('shop/default')).toBe(true);
    expect(registry.withdraw('shop/default')).toBe(false);
    expect(registry.table.byHost.size).toBe(0);
  });
});
