import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it('carries a partial line over to the next chunk', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o\nthree')).toEqual(['two']);
    expect(splitter.end()).toEqual(['three']);
  });

  it('does not break a multi-byte character split between chunks', () => {
    const bytes = Buffer.from('héllo wörld\n');
    const splitter = new LineSplitter();
    const lines = [...splitter.push(bytes.subarray(0, 2)), ...splitter.push(bytes.subarray(2))];
    expect(lines).toEqual(['héllo wörld']);
  });

  it('strips the carriage return of terminal output and keeps empty lines', () => {
    expect(new LineSplitter().push('a\r\n\r\nb\n')).toEqual(['a', '', 'b']);
  });

  it('ends with nothing when the stream ended with a newline', () => {
    const splitter = new LineSplitter();
    splitter.push('done\n');
    expect(splitter.end()).toEqual([]);
  });
});
