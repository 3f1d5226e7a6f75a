import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
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
});

describe('AmityMemoryIdempotencyStore order', () => {
  it('keeps a re-claimed key remembered: claiming again moves it to the newest end', () => {
    let now = 0;
    const store = new AmityMemoryIdempotencyStore(3, () => now);
    store.claim('a', 10);
    store.claim('x', 1_000);
    now = 20;
    expect(store.claim('a', 100)).toBe(true); // expired: claimed again, now the newest
    store.claim('b', 100);
    store.claim('c', 100); // full: "x", now the oldest, goes
    expect(store.claim('a', 100)).toBe(false);
    expect(store.claim('x', 1_000)).toBe(true);
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

  it('stays fast when full: a claim never steps over the entries already evicted', () => {
    let now = 0;
    const store = new AmityMemoryIdempotencyStore(100_000, () => now);
    const started = performance.now();
    for (let i = 0; i < 400_000; i++) {
      now += 1;
      store.claim(`k${i}`, i % 2 === 0 ? 50_000 : 1e9);
    }
    // A fresh iterator per claim (stepping over every evicted entry) takes several seconds here.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(store.size).toBeLessThanOrEqual(100_000);
  });
});

/** The window's meaning, written plainly: claims in claim order (a key claimed again moves to the end). */
class ReferenceWindow {
  private claims: Array<{ key: string; expiry: number }> = [];
  constructor(private readonly maxEntries: number) {}
  get size(): number {
    return this.claims.length;
  }
  claim(key: string, ttlMs: number, now: number): boolean {
    const existing = this.claims.find((c) => c.key === key);
    if (existing && existing.expiry > now) return false;
    this.claims = this.claims.filter((c) => c.key !== key);
    while (this.claims.length > 0 && (this.claims.length >= this.maxEntries || this.claims[0]!.expiry <= now)) this.claims.shift();
    this.claims.push({ key, expiry: now + ttlMs });
    return true;
  }
}

describe('AmityMemoryIdempotencyStore against a plain model', () => {
  it('answers every claim and size as the model does', () => {
    const op = fc.record({ key: fc.integer({ min: 0, max: 60 }), ttl: fc.integer({ min: 1, max: 40 }), advance: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.array(op, { minLength: 1, maxLength: 300 }), (maxEntries, ops) => {
        let now = 0;
        const store = new AmityMemoryIdempotencyStore(maxEntries, () => now);
        const model = new ReferenceWindow(maxEntries);
        // Every answer and the size after every step, from both, compared at the end.
        const answers: Array<[boolean, number]> = [];
        const expected: Array<[boolean, number]> = [];
        for (const step of ops) {
          const key = `key-${step.key}`;
          now += step.advance;
          answers.push([store.claim(key, step.ttl), store.size]);
          expected.push([model.claim(key, step.ttl, now), model.size]);
        }
        expect(answers).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
