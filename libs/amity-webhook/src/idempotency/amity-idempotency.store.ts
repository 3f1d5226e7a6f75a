/**
 * Where delivery keys are claimed so that a delivery seen within the window is not dispatched
 * twice. Implement it to share the window between instances (see {@link AmityRedisIdempotencyStore}).
 */
export interface AmityIdempotencyStore {
  /**
   * Atomically records `key` for `ttlMs` unless it is already recorded.
   * @returns `true` when this call claimed the key (first delivery), `false` for a duplicate
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
}
