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

  it('ignores gitignored files inside a watched folder that is not itself gitignored', () => {
    // A service writing src/app.log on start must not restart itself (it looped before).
    const inSrc = new IgnoreRules('*.log\n__pycache__/\n', ['src']);
    expect(inSrc.ignores('src', true)).toBe(false);
    expect(inSrc.ignores('src/main.py', false)).toBe(false);
    expect(inSrc.ignores('src/app.log', false)).toBe(true);
    expect(inSrc.ignores('src/app.log', undefined)).toBe(true);
    expect(inSrc.ignores('src/__pycache__', true)).toBe(true);
    expect(inSrc.ignores('src/__pycache__/main.cpython-312.pyc', false)).toBe(true);
    expect(inSrc.ignores('src/__pycache__/main.cpython-312.pyc', undefined)).toBe(true);
  });

  it('sees everything inside a watched folder that is itself gitignored, and a gitignored file named exactly', () => {
    const inDist = new IgnoreRules('dist/\n*.log\n', ['dist', 'logs/app.log']);
    expect(inDist.ignores('dist', true)).toBe(false);
    expect(inDist.ignores('dist/main.js', false)).toBe(false);
    expect(inDist.ignores('dist/assets', true)).toBe(false);
    expect(inDist.ignores('dist/assets/a.js', undefined)).toBe(false);
    expect(inDist.ignores('dist/node_modules/x.js', false)).toBe(true);
    expect(inDist.ignores('logs/app.log', false)).toBe(false);
    expect(inDist.ignores('logs/other.log', false)).toBe(true);
  });

  it('follows a changed .gitignore', () => {
    const changing = new IgnoreRules('', []);
    expect(changing.ignores('build/a.js', false)).toBe(false);
    changing.setGitignore('build/');
    expect(changing.ignores('build', true)).toBe(true);
    expect(changing.ignores('build/a.js', false)).toBe(true);
    const kept = new IgnoreRules('', ['build']);
    expect(kept.ignores('build/a.log', false)).toBe(false);
    kept.setGitignore('*.log\n');
    expect(kept.ignores('build/a.log', false)).toBe(true);
    kept.setGitignore('build/\n*.log\n');
    expect(kept.ignores('build/a.log', false)).toBe(false); // now an ignored root, watched whole
  });
});
