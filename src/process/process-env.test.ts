import { describe, expect, it } from 'vitest';
import { buildProcessEnv } from './process-env.js';

describe('buildProcessEnv', () => {
  it('inherits the user environment without devenv internals, then the service env and PORT', () => {
    const env = buildProcessEnv(
      { PATH: '/bin', HOME: '/home/me', DEVENV_STATE_DIR: '/tmp/state', LOG_LEVEL: 'warn', GONE: undefined },
      { LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://x' },
      23456,
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/me',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://x',
      PORT: '23456',
    });
  });

  it('leaves PORT to the service env when it sets one', () => {
    expect(buildProcessEnv({}, { PORT: '3000' }, 23456)).toEqual({ PORT: '3000' });
    expect(buildProcessEnv({ PORT: '1' }, {}, undefined)).toEqual({ PORT: '1' });
  });
});
