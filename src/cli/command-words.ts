/** The global options that take a value: the word after them is not a command. */
const GLOBAL_VALUE_OPTIONS = new Set(['-f', '--file', '-C', '--cwd']);

/**
 * The command words of `argv` (`logs`, `preview logs`, …) and the index of the last one: the words
 * that are neither options nor the values of the global options, up to two for the `preview` group.
 */
export function commandWords(argv: readonly string[]): { words: string[]; last: number } {
  const words: string[] = [];
  let last = -1;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (GLOBAL_VALUE_OPTIONS.has(word)) i++;
    else if (word.startsWith('-')) continue;
    else if (words.length === 0 || (words[0] === 'preview' && words.length === 1)) {
      words.push(word);
      last = i;
    } else break;
  }
  return { words, last };
}

/**
 * PRODUCT.md gives `-f` two meanings: the global `--file`, and `--follow` for `logs` (as in `tail -f`
 * and `docker logs -f`). Users type `devenv logs -f`, so after `logs` or `preview logs` a bare `-f`
 * means follow; before the command (`devenv -f other.yaml logs -f`) it is still the file.
 */
export function followAliasForLogs(argv: readonly string[]): string[] {
  const { words, last } = commandWords(argv);
  if (words.at(-1) !== 'logs') return [...argv];
  return argv.map((word, i) => (word === '-f' && i > last ? '--follow' : word));
}
