import type { AmityIdempotencyStore } from './amity-idempotency.store.js';

/**
 * In-process idempotency window, bounded: at most `maxEntries` claims are remembered; when full,
 * the oldest are forgotten first.
 *
 * A `Map` from key to expiry, in claim order (a key claimed again after expiring moves to the
 * end). Expired claims are dropped from the oldest end; one that outlives an older, longer claim
 * lingers until it reaches that end, which only matters for `size`.
 */
export class AmityMemoryIdempotencyStore implements AmityIdempotencyStore {
  private readonly expiries = new Map<string, number>();
  /**
   * Walks `expiries` from the oldest claim and is kept between calls. A Map iterator is live (it
   * skips deleted entries and reaches new ones); starting a fresh one at every claim would step
   * over every entry deleted since the Map last compacted, so claims slowed down as the window
   * filled.
   */
  private cursor: MapIterator<[string, number]> = this.expiries.entries();
  /** The oldest entry read from `cursor` and still remembered. */
  private oldest: [string, number] | undefined;

  /**
   * @param maxEntries most claims remembered at once (default 100,000)
   * @param now the clock, in milliseconds (default `Date.now`)
   */
  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keys currently remembered (expired ones may linger until a later claim reaches them). */
  get size(): number {
    return this.expiries.size;
  }

  claim(key: string, ttlMs: number): boolean {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined) {
      if (expiry > now) return false;
      this.expiries.delete(key);
    }
    this.evict(now);
    this.expiries.set(key, now + ttlMs);
    return true;
  }

  /** Drops expired claims from the oldest end, and the oldest ones while full. */
  private evict(now: number): void {
    while (this.expiries.size > 0) {
      const entry = this.oldest ?? this.next();
      if (entry === undefined) return;
      const [key, expiry] = entry;
      this.oldest = undefined;
      // Claimed again since the cursor passed it: its live entry is further on.
      if (this.expiries.get(key) !== expiry) continue;
      if (this.expiries.size < this.maxEntries && expiry > now) {
        this.oldest = entry;
        return;
      }
      this.expiries.delete(key);
    }
  }

  private next(): [string, number] | undefined {
    let step = this.cursor.next();
    // A finished iterator stays finished, even when entries are added later.
    if (step.done) {
      this.cursor = this.expiries.entries();
      step = this.cursor.next();
    }
    return step.done ? undefined : step.value;
  }
}
