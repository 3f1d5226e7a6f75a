import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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

/** The window's meaning, written plainly: a queue of claims in arrival order and each key's latest expiry. */
class ReferenceWindow {
  private readonly claims: Array<{ key: string; expiry: number }> = [];
  private readonly latest = new Map<string, number>();
  constructor(private readonly maxEntries: number) {}
  get size(): number {
    return this.latest.size;
  }
  claim(key: string, ttlMs: number, now: number): boolean {
    if ((this.latest.get(key) ?? -Infinity) > now) return false;
    while (this.claims.length > 0 && (this.claims.length >= this.maxEntries || this.claims[0]!.expiry <= now)) {
      const oldest = this.claims.shift()!;
      if (this.latest.get(oldest.key) === oldest.expiry) this.latest.delete(oldest.key);
    }
    this.claims.push({ key, expiry: now + ttlMs });
    this.latest.set(key, now + ttlMs);
    return true;
  }
  release(key: string): void {
    this.latest.delete(key);
  }
}

describe('AmityMemoryIdempotencyStore against a plain model', () => {
  it('answers every claim, release and size as the model does', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('claim' as const), key: fc.integer({ min: 0, max: 60 }), ttl: fc.integer({ min: 1, max: 40 }), advance: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('release' as const), key: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.array(op, { minLength: 1, maxLength: 300 }), (maxEntries, ops) => {
        let now = 0;
        const store = new AmityMemoryIdempotencyStore(maxEntries, () => now);
        const model = new ReferenceWindow(maxEntries);
        // Every answer and the size after every step, from both, compared at the end.
        const answers: Array<[boolean | undefined, number]> = [];
        const expected: Array<[boolean | undefined, number]> = [];
        for (const step of ops) {
          const key = `key-${step.key}`;
          let answer: boolean | undefined;
          let modelAnswer: boolean | undefined;
          if (step.kind === 'release') {
            store.release(key);
            model.release(key);
          } else {
            now += step.advance;
            answer = store.claim(key, step.ttl);
            modelAnswer = model.claim(key, step.ttl, now);
          }
          answers.push([answer, store.size]);
          expected.push([modelAnswer, model.size]);
        }
        expect(answers).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
