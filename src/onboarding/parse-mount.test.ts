import { describe, expect, it } from 'vitest';
import { parseMount } from './parse-mount.js';

describe('parseMount', () => {
  it.each([
    [
      'pgdata:/var/lib/postgresql/data',
      { kind: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
    ],
    ['./src:/app/src:ro', { kind: 'bind', source: './src', target: '/app/src', readOnly: true }],
    [
      '/var/run/docker.sock:/var/run/docker.sock',
      { kind: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
    ],
    ['/app/node_modules', { kind: 'anonymous', target: '/app/node_modules' }],
    [
      { type: 'volume', source: 'data', target: '/data' },
      { kind: 'volume', source: 'data', target: '/data', readOnly: false },
    ],
    [
      { type: 'bind', source: '.', target: '/app', read_only: true },
      { kind: 'bind', source: '.', target: '/app', readOnly: true },
    ],
    [
      { type: 'tmpfs', target: '/tmp' },
      { kind: 'tmpfs', target: '/tmp' },
    ],
  ])('%j', (entry, expected) => {
    expect(parseMount(entry)).toEqual({ ok: true, value: expected });
  });
});
