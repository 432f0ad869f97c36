import { describe, expect, it } from 'vitest';
import { flatVars } from './flat-vars.js';

describe('flatVars', () => {
  it('names each output NAME_KEY in upper case', () => {
    expect(
      flatVars({
        db: { url: 'postgres://x', 'ports.postgres': '5432' },
        'mail-catcher': { host: '127.0.0.1' },
      }),
    ).toEqual({ DB_URL: 'postgres://x', DB_PORTS_POSTGRES: '5432', MAIL_CATCHER_HOST: '127.0.0.1' });
  });
});
