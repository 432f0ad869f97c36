import { describe, expect, it } from 'vitest';
import { buildRouteTable, type Route } from './route-table.js';
import type { PublishedEnvironment, RouteTarget } from './route-target.js';
import { servicePage, unknownHostPage, wantsJson } from './router-page.js';

const crashed: RouteTarget = {
  service: 'api',
  host: 'api.shop.localhost',
  port: 3001,
  state: 'crashed',
  detail: 'exited with code 1',
  lastLines: ['Error: <boom> & more'],
};
const environment: PublishedEnvironment = { project: 'shop', env: 'default', routes: [crashed] };
const route: Route = { environment, target: crashed };

describe('router pages', () => {
  it('says which service, its state, why, and its last lines, escaped and refreshing', () => {
    const page = servicePage(route, { kind: 'down' }, false);
    expect(page.status).toBe(503);
    expect(page.refreshSeconds).toBeGreaterThan(0);
    expect(page.body).toContain('<code>api</code> is crashed');
    expect(page.body).toContain('Error: &#60;boom&#62; &#38; more');
    expect(page.body).toContain('<meta http-equiv="refresh"');
  });

  it('answers JSON with the same facts', () => {
    const page = servicePage(route, { kind: 'down' }, true);
    expect(JSON.parse(page.body)).toEqual({
      error: 'service-unavailable',
      service: 'api',
      project: 'shop',
      env: 'default',
      state: 'crashed',
      detail: 'exited with code 1',
      lastLines: ['Error: <boom> & more'],
    });
  });

  it('lists the environments and URLs that exist for an unknown host', () => {
    const page = unknownHostPage('nope.localhost', buildRouteTable([environment]), 7777, true);
    expect(page.status).toBe(404);
    expect(JSON.parse(page.body).environments).toEqual([
      { project: 'shop', env: 'default', urls: { api: 'http://api.shop.localhost:7777' } },
    ]);
  });

  it('chooses JSON only when the client prefers it', () => {
    expect(wantsJson('application/json')).toBe(true);
    expect(wantsJson('text/html,application/json')).toBe(false);
    expect(wantsJson(undefined)).toBe(false);
  });
});
