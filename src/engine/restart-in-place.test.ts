import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import { containerEntities } from './container-entity.js';
import { containerSpecFor } from './container-spec-for.js';
import { RESTARTER_LABEL, restartsInPlace } from './restart-in-place.js';

const yaml = `
name: shop
dependencies:
  db: { preset: postgres }
services:
  api:
    build: .
    port: 3000
    watch:
      - paths: src
        action: sync
        target: /app/src
      - paths: src
        action: restart
  web:
    image: nginx:1
    command: [nginx, -g, "daemon off;"]
    watch:
      - paths: public
        action: sync
        target: /usr/share/nginx/html
`;

function entities() {
  const { environment, problems } = resolveText(yaml);
  if (!environment) throw new Error(problems.join('\n'));
  const byName = Object.fromEntries(containerEntities(environment).map((e) => [e.name, e]));
  return { environment, byName };
}

describe('restart in place', () => {
  it('wraps only services that a file change restarts, keeping the image command as its argv', () => {
    const { environment, byName } = entities();
    const api = byName.api;
    const web = byName.web;
    const db = byName.db;
    if (!api || !web || !db) throw new Error('fixture');
    expect([restartsInPlace(api), restartsInPlace(web), restartsInPlace(db)]).toEqual([true, false, false]);

    const image = {
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['node', 'src/server.js'],
      volumes: [],
      labels: {},
    };
    const spec = containerSpecFor(environment, api, image);
    expect(spec.entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(spec.cmd).toEqual(['docker-entrypoint.sh', 'node', 'src/server.js']);
    expect(spec.labels[RESTARTER_LABEL]).toBe('1');

    // Without the image's command (or for a service no change restarts) the spec is as before.
    expect(containerSpecFor(environment, api)).not.toHaveProperty('entrypoint');
    const plain = containerSpecFor(environment, web, image);
    expect(plain).not.toHaveProperty('entrypoint');
    expect(plain.cmd).toEqual(['nginx', '-g', 'daemon off;']);
    expect(plain.labels[RESTARTER_LABEL]).toBeUndefined();
  });
});
