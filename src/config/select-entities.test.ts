import { describe, expect, it } from 'vitest';
import { mergeSelections, type Selection } from './select-entities.js';
import { resolveText } from './test-support/config-fixture.js';

const FILE = `dependencies:
  db: { preset: postgres }
  mail: { preset: mailpit }
services:
  api: { run: x, env: { DB: "\${db.url}" } }
  web: { run: w }
  worker: { run: y, env: { SMTP: "\${mail.url}" } }
profiles:
  default: [api]
  jobs: [worker]
`;

const order = (select: Selection, text = FILE) => resolveText(text, { select }).environment?.startOrder;

describe('selectEntities', () => {
  it('runs the default profile when nothing is asked, and what the names need when they are', () => {
    expect(order({})).toEqual(['db', 'api']);
    expect(order({ defaults: true })).toEqual(['db', 'api']);
    expect(order({ names: ['worker'] })).toEqual(['mail', 'worker']);
    expect(order({ names: ['web', 'db'] })).toEqual(['db', 'web']);
    expect(order({ profiles: ['jobs'] })).toEqual(['mail', 'worker']);
  });

  it('adds what is asked now to what was asked before, names, profiles and defaults alike', () => {
    expect(order({ names: ['web'], keep: { profiles: ['jobs'] } })).toEqual(['mail', 'web', 'worker']);
    expect(order({ defaults: true, keep: { names: ['web'] } })).toEqual(['db', 'api', 'web']);
    // A watcher's `up` asks for nothing new: exactly what was kept, not the defaults on top.
    expect(order({ keep: { names: ['web'] } })).toEqual(['web']);
  });

  it('without a default profile, the defaults are everything', () => {
    const text = FILE.replace('  default: [api]\n', '');
    expect(order({}, text)).toEqual(['db', 'mail', 'api', 'web', 'worker']);
  });

  it('reports names and profiles asked now that devenv.yaml lacks, and skips kept ones it no longer has', () => {
    expect(resolveText(FILE, { select: { names: ['wrker'] } }).problems).toEqual([
      '0:0 unknown dependency or service `wrker` (did you mean `worker`?)',
    ]);
    expect(resolveText(FILE, { select: { profiles: ['job'] } }).problems).toEqual([
      '0:0 unknown profile `job` (did you mean `jobs`?)',
    ]);
    // `gone` and `old` were asked for by an earlier `up`, then taken out of the file: not an error.
    expect(order({ names: ['web'], keep: { names: ['gone'], profiles: ['old'] } })).toEqual(['web']);
  });

  it('a preview runs its own selection as the defaults', () => {
    const text = `${FILE}preview:\n  services: [web]\n`;
    expect(resolveText(text, { preview: true, branch: 'b' }).environment?.startOrder).toEqual(['web']);
  });
});

describe('mergeSelections', () => {
  it('is the union, without repeats', () => {
    expect(mergeSelections(undefined, { names: ['api'] })).toEqual({
      names: ['api'],
      profiles: [],
      defaults: false,
    });
    expect(
      mergeSelections(
        { names: ['api'], profiles: ['jobs'], defaults: false },
        { names: ['api', 'web'], defaults: true },
      ),
    ).toEqual({ names: ['api', 'web'], profiles: ['jobs'], defaults: true });
  });
});
