import { describe, expect, it } from '@jest/globals';
import { AmityMemoryIdempotencyStore } from './amity-memory-idempotency.store.js';

describe('AmityMemoryIdempotencyStore', () => {
  it('claims a key once within its window, and again after it expires', () => {
    let now = 1_000;
    const store = new AmityMemoryIdempotencyStore(10, () => now);
    expect(store.claim('a', 500)).toBe(true);
    expect(store.claim('a', 500)).toBe(false);
    now += 499;
    expect(store.claim('a', 500)).toBe(false);
    now += 1;
    expect(store.claim('a', 500)).toBe(true);
  });

  it('stays bounded, forgetting the oldest keys first', () => {
    const store = new AmityMemoryIdempotencyStore(3, () => 0);
    for (const key of ['a', 'b', 'c', 'd', 'e']) expect(store.claim(key, 60_000)).toBe(true);
    expect(store.size).toBe(3);
    expect(store.claim('e', 60_000)).toBe(false);
    expect(store.claim('a', 60_000)).toBe(true);
  });

  it('sweeps expired keys', () => {
    let now = 0;
    const store = new AmityMemoryIdempotencyStore(100, () => now);
    for (let i = 0; i < 50; i++) store.claim(`k${i}`, 10);
    now = 100;
    store.claim('fresh', 10);
    expect(store.size).toBe(1);
  });

  it('forgets a released key', () => {
    const store = new AmityMemoryIdempotencyStore();
    store.claim('x', 60_000);
    store.release('x');
    expect(store.claim('x', 60_000)).toBe(true);
  });
});

describe('AmityMemoryIdempotencyStore ring', () => {
  it('keeps a re-claimed key remembered when its older slot is evicted', () => {
    let now = 0;
    const store = new AmityMemoryIdempotencyStore(3, () => now);
    store.claim('a', 10); // slot 0, expires 10
    now = 20;
    expect(store.claim('a', 100)).toBe(true); // expired: claimed again (slot 1, expires 120)
    store.claim('b', 100);
    store.claim('c', 100); // ring full: the stale slot of "a" goes, not its live claim
    expect(store.claim('a', 100)).toBe(false);
  });

  it('handles many claims at a steady rate within its bound', () => {
    let now = 0;
    const store = new AmityMemoryIdempotencyStore(1000, () => now);
    let claimed = 0;
    for (let i = 0; i < 50_000; i++) {
      now += 1;
      if (store.claim(`k${i}`, 500)) claimed++;
    }
    expect(claimed).toBe(50_000);
    expect(store.size).toBeLessThanOrEqual(1000);
    expect(store.claim('k49999', 500)).toBe(false);
    expect(store.claim('k49000', 500)).toBe(true);
  });
});
