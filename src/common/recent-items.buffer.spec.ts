import { describe, expect, it } from '@jest/globals';
import { RecentItems } from './recent-items.buffer.js';

describe('RecentItems', () => {
  it('returns items newest first', () => {
    const items = new RecentItems<number>(5);
    [1, 2, 3].forEach((n) => items.push(n));
    expect(items.newestFirst()).toEqual([3, 2, 1]);
    expect(items.size).toBe(3);
  });

  it('keeps only the last `capacity` items, across several wrap-arounds', () => {
    const items = new RecentItems<number>(3);
    for (let n = 1; n <= 10; n++) items.push(n);
    expect(items.newestFirst()).toEqual([10, 9, 8]);
    expect(items.size).toBe(3);
  });

  it('hands out a copy', () => {
    const items = new RecentItems<string>(2);
    items.push('a');
    items.newestFirst().push('tampered');
    expect(items.newestFirst()).toEqual(['a']);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %p', (capacity) => {
    expect(() => new RecentItems(capacity)).toThrow(RangeError);
  });
});
