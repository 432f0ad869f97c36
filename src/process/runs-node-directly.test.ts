import { describe, expect, it } from 'vitest';
import { runsNodeDirectly } from './runs-node-directly.js';

const sh = (script: string) => ['sh', '-c', script];

describe('runsNodeDirectly', () => {
  it.each([
    'node server.js',
    '  node   --enable-source-maps dist/main.js --port 3000',
    'node -e "require(\'http\').createServer().listen(3000)"',
    "node -e 'a && b; c | d'",
    'node server.js # started by devenv',
    'node "my app/server.js" \\; literal',
    'node $ENTRY',
  ])('takes a shell string that is one `node` command: %s', (script) => {
    expect(runsNodeDirectly(sh(script), undefined)).toBe(true);
  });

  it.each([
    'npm run dev',
    'npx tsx server.ts',
    'nodemon server.js',
    'node_modules/.bin/vite',
    'PORT=3000 node server.js',
    'exec node server.js',
    'node a.js && node b.js',
    'node migrate.js; node server.js',
    'node server.js | pino-pretty',
    'node server.js &',
    'node server.js < input.txt',
    'node server.js 2>&1',
    'node $(cat entry)',
    'node "`cat entry`"',
    '(node server.js)',
    'node server.js\nnode other.js',
    'node "unterminated',
    'node --env-file=.env server.js',
    'node --inspect server.js',
    'node "--inspect-brk=9230" server.js',
    'node --watch server.js',
  ])('leaves anything else alone: %s', (script) => {
    expect(runsNodeDirectly(sh(script), undefined)).toBe(false);
  });

  it('takes argv whose program is `node`, with the same exceptions', () => {
    expect(runsNodeDirectly(['node', 'server.js'], undefined)).toBe(true);
    expect(runsNodeDirectly(['node', 'a.js', '&&', 'b'], undefined)).toBe(true); // argv: no shell
    expect(runsNodeDirectly(['node', '--env-file', '.env', 'server.js'], undefined)).toBe(false);
    expect(runsNodeDirectly(['npm', 'run', 'dev'], undefined)).toBe(false);
    expect(runsNodeDirectly(['/usr/bin/node', 'server.js'], undefined)).toBe(false);
    expect(runsNodeDirectly(['sh', '-c', 'node server.js', 'extra'], undefined)).toBe(false);
    expect(runsNodeDirectly(['bash', '-c', 'node server.js'], undefined)).toBe(false);
  });

  it('leaves a service alone whose NODE_OPTIONS act at start-up', () => {
    expect(runsNodeDirectly(sh('node server.js'), '--max-old-space-size=512')).toBe(true);
    expect(runsNodeDirectly(sh('node server.js'), '--enable-source-maps --inspect=9230')).toBe(false);
    expect(runsNodeDirectly(sh('node server.js'), '--env-file=.env')).toBe(false);
  });
});
