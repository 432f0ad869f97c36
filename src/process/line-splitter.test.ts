import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks, including multi-byte characters', () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('héllo\nwörld\r\nend');
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i++) lines.push(...splitter.push(bytes.subarray(i, i + 1)));
    expect(lines).toEqual(['héllo', 'wörld']);
    expect(splitter.end()).toEqual(['end']);
    expect(splitter.end()).toEqual([]);
  });

  it('keeps empty lines and caps long ones', () => {
    const splitter = new LineSplitter(4);
    expect(splitter.push('\n\nabcdefghij\nxy')).toEqual(['', '', 'abcd', 'efgh', 'ij']);
    expect(splitter.push('zzzzzz')).toEqual(['xyzz', 'zzzz']);
    expect(splitter.end()).toEqual([]);
  });
});
