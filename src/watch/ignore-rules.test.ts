import { describe, expect, it } from 'vitest';
import { IgnoreRules } from './ignore-rules.js';

describe('IgnoreRules', () => {
  const rules = new IgnoreRules('dist/\n*.log\n.env.local\n', ['.env.local', 'dist/server']);
  const ignored = (path: string, isDirectory?: boolean) => rules.ignores(path, isDirectory);

  it('always ignores .git, node_modules and editor temp files', () => {
    expect(ignored('.git', true)).toBe(true);
    expect(ignored('api/node_modules/x/index.js')).toBe(true);
    for (const temp of ['src/.a.ts.swp', 'src/a.ts~', 'src/.#a.ts', 'src/4913', 'src/a.ts.tmp']) {
      expect(ignored(temp), temp).toBe(true);
    }
    expect(ignored('src/a.ts')).toBe(false);
    expect(ignored('')).toBe(false);
  });

  it('ignores what .gitignore lists, but not kept paths nor the folders leading to them', () => {
    expect(ignored('app.log')).toBe(true);
    expect(ignored('dist', true)).toBe(false); // on the way to dist/server
    expect(ignored('dist/client', true)).toBe(true);
    expect(ignored('dist/client/a.js')).toBe(true);
    expect(ignored('dist/server/a.js')).toBe(false);
    expect(ignored('.env.local')).toBe(false);
  });

  it('follows a changed .gitignore', () => {
    const changing = new IgnoreRules('', []);
    expect(changing.ignores('build/a.js', false)).toBe(false);
    changing.setGitignore('build/');
    expect(changing.ignores('build', true)).toBe(true);
    expect(changing.ignores('build/a.js', false)).toBe(true);
  });
});
