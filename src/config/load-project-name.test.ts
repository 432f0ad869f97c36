import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectName } from './load-config.js';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'devenv-name-')), 'My_Shop');
  mkdirSync(dir);
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const nameOf = (text: string) => {
  writeFileSync(join(dir, 'devenv.yaml'), text);
  return loadProjectName({ cwd: dir });
};

describe('loadProjectName', () => {
  it('reads name: from a file with problems, or from one YAML cannot parse', () => {
    expect(nameOf('name: shop\nservices:\n  api: { rnu: x }\n')).toBe('shop');
    expect(nameOf("name: 'shop' # ours\nservices: [\n")).toBe('shop');
  });

  it('falls back to the folder without name:, and gives up on a name it cannot read', () => {
    expect(nameOf('services:\n  api:\n    run: x\n')).toBe('my-shop');
    expect(nameOf('name: Not_A_Name\n')).toBeUndefined();
    expect(nameOf('name: [shop\n')).toBeUndefined();
  });

  it('is undefined without a file', () => {
    expect(loadProjectName({ cwd: dir })).toBeUndefined();
  });
});
