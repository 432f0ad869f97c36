import { describe, expect, it } from 'vitest';
import { splitShellWords } from './split-shell-words.js';

describe('splitShellWords', () => {
  it('splits like a shell, honouring quotes and escapes', () => {
    expect(splitShellWords(`server /data --console-address ":9001"`)).toEqual([
      'server',
      '/data',
      '--console-address',
      ':9001',
    ]);
    expect(splitShellWords(`sh -c 'echo "a b" && sleep 1'`)).toEqual(['sh', '-c', 'echo "a b" && sleep 1']);
    expect(splitShellWords('a\\ b c')).toEqual(['a b', 'c']);
    expect(splitShellWords('"" x')).toEqual(['', 'x']);
  });

  it('gives up on an unbalanced quote', () => {
    expect(splitShellWords(`echo "oops`)).toBeUndefined();
  });
});
