import { describe, expect, it } from 'vitest';
import { quoteNodeOption, WARM_START_MARKER, warmStartEnv } from './warm-start-env.js';

describe('warmStartEnv', () => {
  it('requires the preload first and keeps the user NODE_OPTIONS after it', () => {
    const env = warmStartEnv({ PORT: '3000', NODE_OPTIONS: '--require ./tracing.js' }, '/opt/devenv/p.cjs');
    expect(env).toEqual({
      PORT: '3000',
      NODE_OPTIONS: '--require "/opt/devenv/p.cjs" --require ./tracing.js',
      [WARM_START_MARKER]: '"--require ./tracing.js"',
    });
  });

  it('tells an unset NODE_OPTIONS from an empty one', () => {
    expect(warmStartEnv({}, '/p.cjs')).toEqual({
      NODE_OPTIONS: '--require "/p.cjs"',
      [WARM_START_MARKER]: 'null',
    });
    expect(warmStartEnv({ NODE_OPTIONS: ' ' }, '/p.cjs')).toEqual({
      NODE_OPTIONS: '--require "/p.cjs"',
      [WARM_START_MARKER]: '" "',
    });
  });

  it('quotes a path with spaces, quotes and backslashes the way Node parses NODE_OPTIONS', () => {
    expect(quoteNodeOption('/home/me/My "dev" tools\\x/p.cjs')).toBe(
      '"/home/me/My \\"dev\\" tools\\\\x/p.cjs"',
    );
  });
});
