import type { AmityIdempotencyStore } from './amity-idempotency.store.js';

/** FNV-1a over the UTF-16 code units: cheap, and spreads the base64url ids the receiver uses. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * In-process idempotency window, bounded: at most `maxEntries` claims are remembered; when full,
 * the oldest are forgotten first.
 *
 * Claims are kept in arrival order in a ring (key, expiry and key hash per slot), and an
 * open-addressing table (linear probing over typed arrays) maps each key to its latest slot. A
 * claim is a few array reads and writes: no Map, no number boxed per entry, and no table rebuilt
 * as keys come and go, which at thousands of claims per second kept the garbage collector busy.
 */
export class AmityMemoryIdempotencyStore implements AmityIdempotencyStore {
  private readonly keys: Array<string | undefined>;
  private readonly slotExpiries: Float64Array;
  private readonly slotHashes: Uint32Array;
  /** Slot + 1 of each indexed key (0: empty), at its hash's position or after it. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private head = 0;
  private count = 0;
  private indexed = 0;

  /** @param maxEntries most claims remembered at once (default 100,000) */
  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = Array.from<string | undefined>({ length: maxEntries });
    this.slotExpiries = new Float64Array(maxEntries);
    this.slotHashes = new Uint32Array(maxEntries);
    // At most half full, so probe runs stay short.
    let capacity = 16;
    while (capacity < maxEntries * 2) capacity *= 2;
    this.table = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Keys currently remembered (expired ones may linger until a later claim reaches them). */
  get size(): number {
    return this.indexed;
  }

  claim(key: string, ttlMs: number): boolean {
    const now = this.now();
    const hash = hashKey(key);
    const position = this.find(key, hash);
    if (position >= 0 && this.slotExpiries[this.table[position]! - 1]! > now) return false;
    this.evict(now);
    const slot = (this.head + this.count) % this.maxEntries;
    this.keys[slot] = key;
    this.slotExpiries[slot] = now + ttlMs;
    this.slotHashes[slot] = hash;
    this.count++;
    // The eviction may have moved or removed the key's entry: look again.
    const current = this.find(key, hash);
    if (current >= 0) {
      this.table[current] = slot + 1;
    } else {
      let i = hash & this.mask;
      while (this.table[i] !== 0) i = (i + 1) & this.mask;
      this.table[i] = slot + 1;
      this.indexed++;
    }
    return true;
  }

  release(key: string): void {
    const position = this.find(key, hashKey(key));
    if (position >= 0) this.remove(position);
  }

  /** Table position of `key`, or -1. */
  private find(key: string, hash: number): number {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const entry = this.table[i]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.slotHashes[slot] === hash && this.keys[slot] === key) return i;
    }
  }

  /** Empties a table position, shifting back later entries of the run so lookups still find them. */
  private remove(position: number): void {
    const { table, mask, slotHashes } = this;
    let hole = position;
    for (let i = (position + 1) & mask; table[i] !== 0; i = (i + 1) & mask) {
      const home = slotHashes[table[i]! - 1]! & mask;
      // The entry may fill the hole unless its home lies cyclically in (hole, i].
      const homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (!homeAfterHole) {
        table[hole] = table[i]!;
        hole = i;
      }
    }
    table[hole] = 0;
    this.indexed--;
  }

  /** Drops expired claims from the oldest end, and the oldest one when the ring is full. */
  private evict(now: number): void {
    while (this.count > 0) {
      const slot = this.head;
      if (this.count < this.maxEntries && this.slotExpiries[slot]! > now) return;
      const key = this.keys[slot]!;
      // A key claimed again after expiring has a newer slot: only its latest slot forgets it.
      const position = this.find(key, this.slotHashes[slot]!);
      if (position >= 0 && this.table[position] === slot + 1) this.remove(position);
      this.keys[slot] = undefined;
      this.head = (slot + 1) % this.maxEntries;
      this.count--;
    }
  }
}
