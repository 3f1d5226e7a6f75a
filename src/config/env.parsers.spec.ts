import { describe, expect, it } from '@jest/globals';
import { parseList, parsePositiveInteger } from './env.parsers.js';

describe('parseList', () => {
  it('splits on commas and trims', () => {
    expect(parseList(' a, b ,c ')).toEqual(['a', 'b', 'c']);
  });

  it('drops empty entries', () => {
    expect(parseList('a,,b,')).toEqual(['a', 'b']);
  });

  it.each([undefined, '', '  ', ', ,'])('treats %p as not configured', (value) => {
    expect(parseList(value)).toBeUndefined();
  });
});

describe('parsePositiveInteger', () => {
  it('parses a positive integer', () => {
    expect(parsePositiveInteger('N', ' 42 ', 1)).toBe(42);
  });

  it.each([undefined, '', '   '])('falls back when the value is %p', (value) => {
    expect(parsePositiveInteger('N', value, 7)).toBe(7);
  });

  it.each(['0', '-3', '1.5', 'ten', '1e3x', '70000'])('rejects %p, naming the variable', (value) => {
    expect(() => parsePositiveInteger('PORT', value, 3000, 65535)).toThrow(/^PORT must be an integer between 1 and 65535/);
  });
});
