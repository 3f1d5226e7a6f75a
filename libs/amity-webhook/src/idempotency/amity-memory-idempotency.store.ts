import type { AmityIdempotencyStore } from './amity-idempotency.store.js';

/**
 * In-process idempotency window, bounded: at most `maxEntries` keys are remembered; when full,
 * the oldest claims are forgotten first (a Map keeps insertion order, so this is O(1)).
 */
export class AmityMemoryIdempotencyStore implements AmityIdempotencyStore {
  private readonly expiries = new Map<string, number>();

  /** @param maxEntries most keys remembered at once (default 100,000) */
  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keys currently remembered (expired ones may linger until the next claim sweeps them). */
  get size(): number {
    return this.expiries.size;
  }

  claim(key: string, ttlMs: number): boolean {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (expiry !== undefined) this.expiries.delete(key);
    this.sweep(now);
    this.expiries.set(key, now + ttlMs);
    return true;
  }

  release(key: string): void {
    this.expiries.delete(key);
  }

  /** Drops expired keys from the oldest end, and the oldest keys while over the bound. */
  private sweep(now: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > now && this.expiries.size < this.maxEntries) break;
      this.expiries.delete(key);
    }
  }
}
