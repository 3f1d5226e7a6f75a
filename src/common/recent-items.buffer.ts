/**
 * Keeps the last `capacity` items pushed, dropping the oldest first. A ring buffer, so pushing
 * never copies the array: the sample app's stores stay bounded however long it runs.
 */
export class RecentItems<T> {
  private readonly items: T[] = [];
  /** Index of the oldest item once the buffer is full. */
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RecentItems capacity must be a positive integer (got ${String(capacity)})`);
    }
  }

  /** How many items are held (at most `capacity`). */
  get size(): number {
    return this.items.length;
  }

  /** Adds an item, evicting the oldest one when full. */
  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The items held, newest first (a copy). */
  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = this.items.length - 1; i >= 0; i--) {
      out.push(this.items[(this.start + i) % this.items.length]!);
    }
    return out;
  }
}
