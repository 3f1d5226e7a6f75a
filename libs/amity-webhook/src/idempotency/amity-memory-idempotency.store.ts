import type { AmityIdempotencyStore } from './amity-idempotency.store.js';

/**
 * In-process idempotency window, bounded: at most `maxEntries` claims are remembered; when full,
 * the oldest are forgotten first.
 *
 * Claims are kept in arrival order in a ring (key and expiry per slot) beside a Map from key to
 * its latest expiry, so expiring and evicting the oldest is O(1) and never iterates the Map
 * (iterating a Map from its start after many deletions walks their tombstones, which made a
 * Map-only version slow at high request rates).
 */
export class AmityMemoryIdempotencyStore implements AmityIdempotencyStore {
  private readonly expiries = new Map<string, number>();
  private readonly keys: Array<string | undefined>;
  private readonly slotExpiries: Float64Array;
  private head = 0;
  private count = 0;

  /** @param maxEntries most claims remembered at once (default 100,000) */
  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = Array.from<string | undefined>({ length: maxEntries });
    this.slotExpiries = new Float64Array(maxEntries);
  }

  /** Keys currently remembered (expired ones may linger until a later claim reaches them). */
  get size(): number {
    return this.expiries.size;
  }

  claim(key: string, ttlMs: number): boolean {
    const now = this.now();
    const current = this.expiries.get(key);
    if (current !== undefined && current > now) return false;
    this.evict(now);
    const expiry = now + ttlMs;
    this.expiries.set(key, expiry);
    const slot = (this.head + this.count) % this.maxEntries;
    this.keys[slot] = key;
    this.slotExpiries[slot] = expiry;
    this.count++;
    return true;
  }

  release(key: string): void {
    this.expiries.delete(key);
  }

  /** Drops expired claims from the oldest end, and the oldest one when the ring is full. */
  private evict(now: number): void {
    while (this.count > 0) {
      const slot = this.head;
      const expiry = this.slotExpiries[slot]!;
      if (this.count < this.maxEntries && expiry > now) return;
      const key = this.keys[slot]!;
      // A key claimed again after expiring has a newer slot: only its latest slot forgets it.
      if (this.expiries.get(key) === expiry) this.expiries.delete(key);
      this.keys[slot] = undefined;
      this.head = (slot + 1) % this.maxEntries;
      this.count--;
    }
  }
}
