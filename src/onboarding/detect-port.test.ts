import { describe, expect, it } from 'vitest';
import { detectPort, reloadsItself } from './detect-port.js';

describe('detectPort', () => {
  it('prefers PORT from an .env file', () => {
    expect(detectPort('vite', { value: '4000', file: '.env' }, true)).toEqual({
      port: 4000,
      reason: 'PORT in .env',
    });
  });

  it.each([
    ['PORT=4100 node server.js', 4100],
    ['next dev --port 3001', 3001],
    ['next dev -p 3002', 3002],
    ['vite --port=5000', 5000],
    ['next dev', 3000],
    ['vite', 5173],
    ['astro dev', 4321],
    ['ng serve', 4200],
  ])('%s → %d', (script, port) => {
    expect(detectPort(script, undefined, false)?.port).toBe(port);
  });

  it('does not read `tsc -p tsconfig.json` as a port', () => {
    expect(detectPort('tsc -p tsconfig.json && node dist/main.js', undefined, false)).toBeUndefined();
  });

  it('`auto` when the code reads PORT, nothing when nothing says', () => {
    expect(detectPort('node server.js', undefined, true)?.port).toBe('auto');
    expect(detectPort('node server.js', undefined, false)).toBeUndefined();
  });
});

describe('reloadsItself', () => {
  it.each([
    ['nodemon src/index.js', true],
    ['tsx watch src/main.ts', true],
    ['node --watch server.js', true],
    ['vite', true],
    ['node server.js', false],
  ])('%s → %s', (script, expected) => {
    expect(reloadsItself(script)).toBe(expected);
  });
});
