import { describe, expect, it } from 'vitest';
import { unknownNameError } from './unknown-name-error.js';

const context = {
  project: 'shop',
  declared: ['db', 'api', 'web', 'worker'],
  running: ['db', 'api'],
  kind: 'a container',
};

describe('unknownNameError', () => {
  it('tells a misspelt name, an unselected one and one of the wrong kind apart', () => {
    expect(unknownNameError('wrker', context)).toMatchObject({
      code: 'UNKNOWN_NAME',
      message: "wrker is not in shop's devenv.yaml.",
      hint: 'did you mean `worker`?',
    });
    expect(unknownNameError('web', context)).toMatchObject({
      code: 'NOT_SELECTED',
      message: 'web is in devenv.yaml, but shop does not run it now.',
      hint: '`devenv up web` starts it with what it needs (it runs db, api).',
    });
    expect(unknownNameError('api', context)).toMatchObject({
      code: 'UNKNOWN_NAME',
      message: 'api is not a container of shop.',
    });
  });
});
