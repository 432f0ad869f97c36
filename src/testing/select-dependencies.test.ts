import { describe, expect, it } from 'vitest';
import { validateText } from '../config/test-support/config-fixture.js';
import { selectDependencies } from './select-dependencies.js';

const { loaded } = validateText(`
name: shop
dependencies:
  db: { preset: postgres }
  cache: { preset: redis }
services:
  api: { run: node server.js, port: 3000 }
`);
const config = loaded?.config ?? { dependencies: {}, services: {} };

describe('selectDependencies', () => {
  it('starts every dependency, and no service, when nothing is asked for', () => {
    expect(selectDependencies(config, undefined)).toEqual(['db', 'cache']);
  });

  it('starts the ones asked for, once each', () => {
    expect(selectDependencies(config, ['cache', 'cache'])).toEqual(['cache']);
  });

  it('refuses a service, saying why', () => {
    expect(() => selectDependencies(config, ['api'])).toThrow(
      expect.objectContaining({
        code: 'NOT_A_DEPENDENCY',
        message: expect.stringContaining('`api` is a service'),
      }),
    );
  });

  it('refuses an unknown name with the closest one', () => {
    expect(() => selectDependencies(config, ['dbb'])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_NAME', hint: 'did you mean `db`?' }),
    );
  });

  it('refuses an empty selection instead of starting nothing', () => {
    expect(() => selectDependencies(config, [])).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_START' }),
    );
    expect(() => selectDependencies({ dependencies: {}, services: {} }, undefined)).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_START' }),
    );
  });
});
